"""dehusk: scraped web pages in, clean article text out."""

from dehusk.document import Block, Document, DocumentError

__version__ = "0.1.0"

__all__ = ["Block", "Document", "DocumentError", "__version__"]
