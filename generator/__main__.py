"""`python -m generator ARGS` → the command's exit status; the process ends without freeing its objects one by one."""
import os
import sys

from .cli import main

code = main()
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)  # what a build made (cli.MADE) goes back to the system whole: no file or process is left open
