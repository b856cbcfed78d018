"""The offline gazetteer: location text and Zoho fields -> Place, and place similarity."""

import subprocess
import sys

import pytest

from recruiting.matching.places import Place, place_parse, place_similarity

# (text, city, region, country). The traps of the research note (recruiting.md section 4) are
# here: UK constituent countries, full state names, alias collisions, postcodes, codes that are
# both a state and a country, "Remote – Australia", city-states.
LOCATIONS = [
    ("Sydney NSW", "Sydney", "New South Wales", "AU"),
    ("Sydney, Australia", "Sydney", "New South Wales", "AU"),
    ("sydney", "Sydney", "New South Wales", "AU"),
    ("SYDNEY 2000", "Sydney", "New South Wales", "AU"),
    ("Sydney CBD", "Sydney", "New South Wales", "AU"),
    ("Melbourne VIC 3000", "Melbourne", "Victoria", "AU"),
    ("Based in Melbourne", "Melbourne", "Victoria", "AU"),
    ("Remote – Australia", "", "", "AU"),
    ("Perth, Scotland", "Perth", "Scotland", "GB"),
    ("Perth WA", "Perth", "Western Australia", "AU"),
    ("Perth", "Perth", "Western Australia", "AU"),
    ("Portland, Maine", "Portland", "Maine", "US"),
    ("Portland, OR", "Portland", "Oregon", "US"),
    ("Portland", "Portland", "Oregon", "US"),
    ("Cambridge, MA", "Cambridge", "Massachusetts", "US"),
    ("Cambridge, UK", "Cambridge", "England", "GB"),
    ("London", "London", "England", "GB"),
    ("London, Ontario", "London", "Ontario", "CA"),
    ("London, CA", "London", "Ontario", "CA"),
    ("San Francisco, CA", "San Francisco", "California", "US"),
    ("Auckland NZ", "Auckland", "Auckland", "NZ"),
    ("Bangalore", "Bengaluru", "Karnataka", "IN"),
    ("Bengaluru", "Bengaluru", "Karnataka", "IN"),
    ("Bombay", "Mumbai", "Maharashtra", "IN"),
    ("Mumbai", "Mumbai", "Maharashtra", "IN"),
    ("Gurgaon", "Gurugram", "Haryana", "IN"),
    ("Chennai, India", "Chennai", "Tamil Nadu", "IN"),
    ("New York, NY", "New York City", "New York", "US"),
    ("Austin, TX 78701", "Austin", "Texas", "US"),
    ("Washington, DC", "Washington", "District of Columbia", "US"),
    ("Toronto, Canada", "Toronto", "Ontario", "CA"),
    ("Vancouver, BC", "Vancouver", "British Columbia", "CA"),
    ("Montréal, QC", "Montréal", "Quebec", "CA"),
    ("Sydney, Nova Scotia, Canada", "Sydney", "Nova Scotia", "CA"),
    ("Brisbane QLD", "Brisbane", "Queensland", "AU"),
    ("Brisbane, Queensland, Australia", "Brisbane", "Queensland", "AU"),
    ("Gold Coast", "Gold Coast", "Queensland", "AU"),
    ("Parramatta", "Parramatta", "New South Wales", "AU"),
    ("Adelaide SA", "Adelaide", "South Australia", "AU"),
    ("Canberra ACT", "Canberra", "Australian Capital Territory", "AU"),
    ("Hobart, Tasmania", "Hobart", "Tasmania", "AU"),
    ("Darwin NT 0800", "Darwin", "Northern Territory", "AU"),
    ("Newcastle NSW", "Newcastle", "New South Wales", "AU"),
    ("Newcastle upon Tyne", "Newcastle upon Tyne", "England", "GB"),
    ("Wollongong NSW 2500", "Wollongong", "New South Wales", "AU"),
    ("Broome WA", "Broome", "Western Australia", "AU"),  # under 15,000 people: from cities5000
    ("Byron Bay", "Byron Bay", "New South Wales", "AU"),
    ("Mt Druitt", "Mount Druitt", "New South Wales", "AU"),
    ("Wellington, New Zealand", "Wellington", "Wellington", "NZ"),
    ("Christchurch", "Christchurch", "Canterbury", "NZ"),
    ("Hamilton, New Zealand", "Hamilton", "Waikato", "NZ"),
    ("Edinburgh, Scotland", "Edinburgh", "Scotland", "GB"),
    ("Cardiff, Wales", "Cardiff", "Wales", "GB"),
    ("Belfast, Northern Ireland", "Belfast", "Northern Ireland", "GB"),
    ("Dublin, Ireland", "Dublin", "Leinster", "IE"),
    ("Dubai", "Dubai", "Dubai", "AE"),
    ("Abu Dhabi, UAE", "Abu Dhabi", "Abu Dhabi", "AE"),
    ("Singapore", "Singapore", "", "SG"),
    ("Hong Kong", "Hong Kong", "", "HK"),
    ("Manila, Philippines", "Manila", "National Capital Region", "PH"),
    ("Cape Town, South Africa", "Cape Town", "Western Cape", "ZA"),
    ("Kuala Lumpur", "Kuala Lumpur", "", "MY"),
    ("Berlin, Germany", "Berlin", "", "DE"),
    ("Victoria, Australia", "", "Victoria", "AU"),
    ("Queensland", "", "Queensland", "AU"),
    ("WA", "", "Western Australia", "AU"),  # Washington too: the Australian reading wins
    ("Scotland", "", "Scotland", "GB"),
    ("UK", "", "", "GB"),
    ("USA", "", "", "US"),
    ("Lebanon", "", "", "LB"),  # the country, not Lebanon, Pennsylvania
    ("Narnia, Australia", "", "", "AU"),
    ("", "", "", ""),
    ("Somewhere nice", "", "", ""),
]


@pytest.mark.parametrize(("text", "city", "region", "country"), LOCATIONS, ids=[row[0] or "empty" for row in LOCATIONS])
def test_place_parse_reads_the_fixture_table(text, city, region, country):
    # given a location as a recruiter or a job board writes it
    # when
    place = place_parse(text)

    # then
    assert (place.city, place.region, place.country) == (city, region, country)


def test_place_parse_gives_the_same_place_for_the_usual_spellings():
    # given
    spellings = ["Sydney NSW", "Sydney, Australia", "sydney", "SYDNEY 2000", "Sydney, New South Wales"]

    # when
    places = {place_parse(text) for text in spellings}

    # then
    assert len(places) == 1
    assert places.pop().label == "Sydney, New South Wales, Australia"


@pytest.mark.parametrize(
    ("text", "country"),
    [("Remote – Australia", "AU"), ("Anywhere in Australia", "AU"), ("WFH", ""), ("Work from home - NZ", "NZ"),
     ("Remote (US)", "US"), ("Fully remote", "")],
)  # fmt: skip
def test_place_parse_detects_remote(text, country):
    # given a remote location, with or without a country
    # when
    place = place_parse(text)

    # then
    assert place.remote
    assert place.country == country
    assert place.city == ""


def test_place_parse_hybrid_is_not_remote():
    # given / when
    place = place_parse("Hybrid - Sydney")

    # then
    assert not place.remote
    assert place.city == "Sydney"


def test_place_parse_reads_zoho_fields():
    # given Mailing_City, Mailing_State and Mailing_Country
    # when
    place = place_parse(city="Sydney", region="NSW", country="Australia")

    # then
    assert place == place_parse("Sydney NSW")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"city": "Perth", "country": "UK"}, ("Perth", "Scotland", "GB")),
        ({"city": "Portland", "region": "ME"}, ("Portland", "Maine", "US")),
        ({"region": "CA"}, ("", "California", "US")),  # a region field "CA" is the state
        ({"country": "CA"}, ("", "", "CA")),  # a country field "CA" is Canada
        ({"country": "Scotland"}, ("", "Scotland", "GB")),
        ({"city": "Toronto", "country": "CA"}, ("Toronto", "Ontario", "CA")),
    ],
)
def test_place_parse_reads_each_field_in_its_role(fields, expected):
    # given / when
    place = place_parse(**fields)

    # then
    assert (place.city, place.region, place.country) == expected


def test_place_parse_fields_win_over_free_text():
    # given a Zoho record whose free text disagrees with its fields
    # when
    place = place_parse("Sydney NSW", city="Melbourne", country="Australia")

    # then
    assert place.city == "Melbourne"


def test_place_parse_free_text_refines_fields_it_agrees_with():
    # given only a country in the fields, and a city in the free text
    # when
    place = place_parse("Remote, based near Brisbane", country="Australia")

    # then
    assert (place.city, place.country, place.remote) == ("Brisbane", "AU", True)


def test_place_parse_is_memoised():
    # given
    place_parse.cache_clear()

    # when
    first = place_parse("Gold Coast QLD")
    second = place_parse("Gold Coast QLD")

    # then
    assert first is second
    assert place_parse.cache_info().hits == 1


# GeoNames admin1 codes are not ISO: each mapped country is checked city by city, one city per
# region in the table (the capital or the largest city in cities15000).
ADMIN1_CHECKS = [
    ("AU", ["Canberra", "Sydney", "Darwin", "Brisbane", "Adelaide", "Hobart", "Melbourne", "Perth"],
     ["Australian Capital Territory", "New South Wales", "Northern Territory", "Queensland", "South Australia",
      "Tasmania", "Victoria", "Western Australia"]),
    ("CA", ["Calgary", "Vancouver", "Winnipeg", "Moncton", "St. John's", "Halifax", "Toronto", "Charlottetown",
            "Montreal", "Regina", "Whitehorse", "Yellowknife"],
     ["Alberta", "British Columbia", "Manitoba", "New Brunswick", "Newfoundland and Labrador", "Nova Scotia",
      "Ontario", "Prince Edward Island", "Quebec", "Saskatchewan", "Yukon", "Northwest Territories"]),
    ("NZ", ["Auckland", "Tauranga", "Christchurch", "Gisborne", "Napier", "Palmerston North", "Blenheim", "Nelson",
            "Whangarei", "Dunedin", "Invercargill", "New Plymouth", "Hamilton", "Wellington", "Richmond"],
     ["Auckland", "Bay of Plenty", "Canterbury", "Gisborne", "Hawke's Bay", "Manawatu-Whanganui", "Marlborough",
      "Nelson", "Northland", "Otago", "Southland", "Taranaki", "Waikato", "Wellington", "Tasman"]),
    ("IN", ["Port Blair", "Visakhapatnam", "Guwahati", "Chandigarh", "New Delhi", "Ahmedabad", "Faridabad", "Shimla",
            "Srinagar", "Kochi", "Mumbai", "Imphal", "Shillong", "Bengaluru", "Kohima", "Bhubaneswar", "Puducherry",
            "Ludhiana", "Jaipur", "Chennai", "Agartala", "Kolkata", "Gangtok", "Itanagar", "Aizawl", "Panjim",
            "Patna", "Bhopal", "Lucknow", "Ranchi", "Dehradun", "Hyderabad", "Leh", "Silvassa"],
     ["Andaman and Nicobar Islands", "Andhra Pradesh", "Assam", "Chandigarh", "Delhi", "Gujarat", "Haryana",
      "Himachal Pradesh", "Jammu and Kashmir", "Kerala", "Maharashtra", "Manipur", "Meghalaya", "Karnataka",
      "Nagaland", "Odisha", "Puducherry", "Punjab", "Rajasthan", "Tamil Nadu", "Tripura", "West Bengal", "Sikkim",
      "Arunachal Pradesh", "Mizoram", "Goa", "Bihar", "Madhya Pradesh", "Uttar Pradesh", "Jharkhand",
      "Uttarakhand", "Telangana", "Ladakh", "Dadra and Nagar Haveli and Daman and Diu"]),
    ("US", ["Boston", "Austin", "Seattle", "Denver", "Miami"],
     ["Massachusetts", "Texas", "Washington", "Colorado", "Florida"]),
    ("GB", ["Manchester", "Glasgow", "Swansea", "Derry"], ["England", "Scotland", "Wales", "Northern Ireland"]),
    ("AE", ["Abu Dhabi", "Ajman", "Dubai", "Fujairah", "Ras Al Khaimah", "Sharjah"],
     ["Abu Dhabi", "Ajman", "Dubai", "Fujairah", "Ras Al Khaimah", "Sharjah"]),
    ("ZA", ["Durban", "Bloemfontein", "Gqeberha", "Johannesburg", "Mbombela", "Kimberley", "Polokwane", "Rustenburg",
            "Cape Town"],
     ["KwaZulu-Natal", "Free State", "Eastern Cape", "Gauteng", "Mpumalanga", "Northern Cape", "Limpopo",
      "North-West", "Western Cape"]),
    ("PH", ["Quezon City", "Laoag", "Tuguegarao", "Iloilo", "Cebu City", "Tacloban", "Zamboanga", "Davao", "Butuan",
            "Baguio", "Calamba", "Puerto Princesa"],
     ["National Capital Region", "Ilocos", "Cagayan Valley", "Western Visayas", "Central Visayas",
      "Eastern Visayas", "Zamboanga Peninsula", "Davao", "Caraga", "Cordillera Administrative Region",
      "Calabarzon", "Mimaropa"]),
]  # fmt: skip


@pytest.mark.parametrize(("country", "cities", "regions"), ADMIN1_CHECKS, ids=[row[0] for row in ADMIN1_CHECKS])
def test_admin1_codes_map_to_the_right_region(country, cities, regions):
    # given one city in every mapped region of the country
    # when
    found = [place_parse(city=city, country=country) for city in cities]

    # then
    assert [(place.city != "", place.country) for place in found] == [(True, country)] * len(cities)
    assert [place.region for place in found] == regions


def test_place_parse_leaves_unmapped_regions_empty():
    # given a country whose GeoNames admin1 codes are not ISO (JP "40" is Tokyo; ISO JP-40 is Fukuoka)
    # when
    place = place_parse("Tokyo")

    # then
    assert (place.city, place.region, place.country) == ("Tokyo", "", "JP")


@pytest.mark.parametrize(
    ("candidate", "role", "score", "reason"),
    [
        ("Sydney NSW", "sydney", 100, "Both in Sydney"),
        ("Parramatta", "Sydney", 100, "Parramatta is 20 km from Sydney"),
        ("Newcastle NSW", "Sydney", 70, "Different cities in New South Wales (Newcastle / Sydney)"),
        ("NSW", "Sydney", 70, "Both in New South Wales"),
        ("Melbourne", "Sydney", 40, "Both in Australia, different regions (Melbourne / Sydney)"),
        ("Australia", "Sydney", 40, "Both in Australia"),
        ("London", "Sydney", 0, "Different countries (London, United Kingdom / Sydney, Australia)"),
        ("", "Sydney", 30, "Candidate's location is unknown (role in Sydney)"),
        ("Perth WA", "Narnia", 30, "Role's location is unknown (candidate in Perth)"),
        ("", "", 30, "Both locations are unknown"),
    ],
)
def test_place_similarity_scores_and_explains(candidate, role, score, reason):
    # given
    a, b = place_parse(candidate), place_parse(role)

    # when
    found = place_similarity(a, b)

    # then
    assert found == (score, reason)
    assert place_similarity(b, a)[0] == score  # symmetric


def test_place_label():
    # given / when / then
    assert place_parse("Dubai").label == "Dubai, United Arab Emirates"
    assert place_parse("Singapore").label == "Singapore"
    assert place_parse("Remote – Australia").label == "Remote (Australia)"
    assert Place().label == ""


def test_places_module_does_not_import_django():
    # given a fresh interpreter
    code = "import sys, recruiting.matching.places; sys.exit('django' in sys.modules)"

    # when
    result = subprocess.run([sys.executable, "-c", code], check=False)

    # then
    assert result.returncode == 0
