"""A site folder → a live preview where the editor also annotates: serving (`server`), rebuilding in memory
(`rebuild`), watching saves (`watch`) and editing content (`edit`, with the panel's `panel.js`)."""
from .server import serve

__all__ = ["serve"]
