import logging
import os
import sys

from bot.cli import main

code = main()
# A run that wrote nothing to the index (a question, a summary, the chat) ends without the
# interpreter's teardown: collecting Chroma's, pydantic's and numpy's objects and modules takes
# about half a second on a loaded 2-core machine, after the answer is already printed. A run
# that wrote (indexing the bundled article on first use, /article-add) exits normally.
store = sys.modules.get("index.store")
if store is not None and store.writes_in_this_process() == 0:
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more to say
            pass
    os._exit(code)
sys.exit(code)
