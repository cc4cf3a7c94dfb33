"""Where a complaint is: a pincode, a point on the map, a ward or village, a landmark.

Every part is optional, and so is the whole: a complaint names its district always, and a
place within it when the filer knows one. The rules are written once here (`Location.of`):

- a pincode is six digits of Rajasthan's range, 301000 to 345999;
- a point is a latitude and a longitude, both or neither, inside Rajasthan's bounding box
  (`SOUTH`..`NORTH`, `WEST`..`EAST`), kept to six decimal places (about 0.1 m);
- a ward or village and a landmark are free text by the rules of every other name
  (`domain/inputs.py`).

A point and a landmark can say where a person lives: who is shown which part is decided in
`domain/disclosure.py` (pseudonymous readers get the pincode and the ward only).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from domain.errors import InvalidCommand
from domain.inputs import Shape, Text

# Rajasthan's extent, rounded outwards (Survey of India: 23°3'N-30°12'N, 69°30'E-78°17'E).
SOUTH, NORTH = 23.0, 30.2
WEST, EAST = 69.4, 78.3
COORDINATE_PLACES = 6

PINCODE = Shape(
    "pincode",
    r"3(?:0[1-9]|[1-3][0-9]|4[0-5])[0-9]{3}",
    6,
    "a 6-digit pincode of Rajasthan, 301000 to 345999",
)
WARD = Text("ward or village", 200)
LANDMARK = Text("landmark", 300)


@dataclass(frozen=True)
class Location:
    """A place within the complaint's district. Build it with `Location.of`, which holds
    the rules; the plain constructor is for decoding what was stored."""

    pincode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    ward: str | None = None  # ward or village
    landmark: str | None = None

    @property
    def point(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    @classmethod
    def of(
        cls,
        *,
        pincode: str | None = None,
        latitude: object = None,
        longitude: object = None,
        ward: str | None = None,
        landmark: str | None = None,
    ) -> Location | None:
        """The location as stored, or `InvalidCommand` naming the part (`pincode`,
        `latitude`, ...). Nothing given is no location (None)."""
        if (latitude is None) != (longitude is None):
            missing = "longitude" if longitude is None else "latitude"
            raise InvalidCommand(
                "a point needs both latitude and longitude, or neither", field=missing
            )
        found = cls(
            pincode=None if pincode is None else PINCODE.clean(pincode, "pincode"),
            latitude=_coordinate(latitude, "latitude", SOUTH, NORTH),
            longitude=_coordinate(longitude, "longitude", WEST, EAST),
            ward=None if ward is None else WARD.clean(ward, "ward").strip(),
            landmark=None if landmark is None else LANDMARK.clean(landmark, "landmark").strip(),
        )
        return None if found == cls() else found


def _coordinate(value: object, field: str, low: float, high: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidCommand(f"{field} must be a number of degrees", field=field)
    # Compared before converting: a whole number too big for a float is refused, not raised.
    if (isinstance(value, float) and not math.isfinite(value)) or not low <= value <= high:
        raise InvalidCommand(
            f"{field} must be within Rajasthan, {low} to {high} degrees", field=field
        )
    return round(float(value), COORDINATE_PLACES)


def distance_km(one: tuple[float, float], other: tuple[float, float]) -> float:
    """The distance between two points on the Earth's surface (haversine), in kilometres."""
    (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, p)) for p in (one, other))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))
