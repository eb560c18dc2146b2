"""Keys and files → what an earlier build made from the same inputs: the build cache in `.factcheck-cache/`.

Four rooms (docs/architecture.md, "The build cache"):

- `store`: the entries, their file format (data alone, signed with a key kept outside the site) and the cache's
  folders, never followed through a link the build did not make.
- `inputs`: everything a build is made from as one key, and "up to date" (the output holds what a build from
  the same inputs wrote: nothing to do).
- `output`: the output folder's record (a manifest), and the output before last, kept for the next build to bring
  up to date, behind one context manager (`output_folder`).
- `pages` and `reads`: a page's key from its context (`Fingerprints`), and which of an article's words a page
  read while it rendered (`Reads`), so an edit of the text renders again only the pages that show it.

`keys` holds what they share: a digest, the generator's version, a content file's load key. A miss only costs
the work a cold build does, so the worst a stale or hostile cache can do is nothing: cold and warm builds give
the same bytes.
"""
from .inputs import inputs_key, scope_key, up_to_date
from .keys import canonical, digest, file_key, generator_key, load_key
from .output import Ahead, LastOutput, Record, forget_output, fresh_output, keep_record, output_folder, record_output, spare_output
from .pages import Cache, Fingerprints, Uncachable, open_cache, page_key
from .reads import Reads, hiding, words
from .store import FOLDER, MAGIC, NotData, Store, allowed, read_file, seal, user_key

__all__ = ["Ahead", "FOLDER", "LastOutput", "MAGIC", "Cache", "Fingerprints", "NotData", "Reads", "Record", "Store", "Uncachable",
           "allowed", "canonical", "digest", "file_key", "forget_output", "fresh_output",
           "generator_key", "hiding", "inputs_key", "keep_record", "load_key", "open_cache", "output_folder",
           "page_key", "read_file", "record_output", "scope_key", "seal", "spare_output", "up_to_date", "user_key",
           "words"]
