"""Open311's XML: the same data as its JSON, one element per key, lists as repeated elements
under a plural parent (services/service, attributes/attribute, values/value, formats/format,
service_requests/request, errors/error), booleans as true/false, nothing as an empty element."""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

# The element each list's items are written as, by the list's own name.
ITEM = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "service_requests": "request",
    "errors": "error",
}


def _fill(parent: Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(SubElement(parent, key), item)
    elif isinstance(value, list):
        for item in value:
            _fill(SubElement(parent, ITEM.get(parent.tag, "item")), item)
    elif isinstance(value, bool):
        parent.text = "true" if value else "false"
    elif value is not None:
        parent.text = str(value)


def document(root: str, value: Any) -> bytes:
    """Return `value` as an XML document whose root element is `root`."""
    element = Element(root)
    _fill(element, value)
    return (
        b'<?xml version="1.0" encoding="utf-8"?>' + tostring(element, encoding="unicode").encode()
    )
