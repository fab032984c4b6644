"""The euaigraph ontology: namespaces, the generated vocabulary, IRI minting, the OWL file and SHACL shapes."""

from importlib.resources import files
from pathlib import Path


def ontology_path() -> Path:
    """Path of ``euaigraph.ttl``, the OWL ontology in Turtle."""
    return Path(str(files(__name__).joinpath("euaigraph.ttl")))


def shapes_path() -> Path:
    """Path of ``shapes.ttl``, the SHACL shapes the graph is validated against."""
    return Path(str(files(__name__).joinpath("shapes.ttl")))
