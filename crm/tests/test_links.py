"""Finding our link in a page: rel, anchor text, and what counts as the same address."""

import pytest

from crm.links import links_to, page_key

OURS = "https://www.codeteki.example/blog/seo-checklist/"


@pytest.mark.parametrize(
    "href",
    [
        "https://www.codeteki.example/blog/seo-checklist/",
        "http://codeteki.example/blog/seo-checklist",
        "https://CODETEKI.example:443/blog/seo-checklist/#top",
        "https://codeteki.example/blog/seo-checklist/?utm_source=blog&utm_medium=link",
    ],
)
def test_the_same_page_in_other_spellings_is_our_link(href):
    html = f'<p>See <a href="{href}" rel="nofollow noopener">the SEO checklist</a>.</p>'

    [link] = links_to(html, page_url="https://blog.example/post", target=OURS)

    assert (link.rel, link.text) == ("nofollow noopener", "the SEO checklist")


@pytest.mark.parametrize(
    "href",
    [
        "https://codeteki.example/blog/seo-checklist-2/",
        "https://codeteki.example/blog/",
        "https://evil.example/?u=https://codeteki.example/blog/seo-checklist/",
        "https://codeteki.example.evil.example/blog/seo-checklist/",
        "https://codeteki.example/blog/seo-checklist/?page=2",
        "mailto:hi@codeteki.example",
    ],
)
def test_other_pages_are_not_our_link(href):
    html = f'<a href="{href}">x</a>'

    assert links_to(html, page_url="https://blog.example/post", target=OURS) == []


def test_relative_links_resolve_against_the_page_and_its_base():
    html = '<base href="https://codeteki.example/blog/"><a href="seo-checklist/">Checklist</a>'

    [link] = links_to(html, page_url="https://codeteki.example/other/", target=OURS)

    assert (link.href, link.rel) == ("https://codeteki.example/blog/seo-checklist/", "")


def test_anchor_text_spans_nested_tags_and_an_image_s_alt_stands_in():
    html = (
        f'<a href="{OURS}"><strong>SEO</strong>   <em>checklist</em></a>'
        f'<a href="{OURS}" rel="UGC"><img src="x.png" alt="Codeteki logo"></a>'
    )

    links = links_to(html, page_url="https://blog.example/", target=OURS)

    assert [(link.text, link.rel) for link in links] == [("SEO checklist", ""), ("Codeteki logo", "ugc")]


def test_broken_html_is_read_as_far_as_it_goes():
    html = f'<div><a href="{OURS}">unclosed <b>link</div><p>more'

    [link] = links_to(html, page_url="https://blog.example/", target=OURS)

    assert link.text == "unclosed link more"


def test_a_target_that_is_not_a_url_matches_nothing():
    assert page_key("not a url")[0] == ""
    assert links_to('<a href="x">x</a>', page_url="https://b.example/", target="") == []
