"""The course's command line: `python -m courselab <command>` (the Makefile calls these).

services             find MySQL and Redis, start them if they are installed but down
notebooks [PATH...]  re-execute notebooks (default: all) and store their outputs
new-lesson CHAPTER NN-slug "Title"   scaffold a lesson notebook from the template
"""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def notebooks(args: list[str]) -> int:
    from courselab import runner

    paths = [Path(a) for a in args] or runner.discover()
    failed = 0
    with ProcessPoolExecutor(max_workers=2) as pool:
        for path, problems in zip(paths, pool.map(runner.store, paths), strict=False):
            print(f"{'FAIL' if problems else 'ok  '} {runner.relative(path)}")
            for problem in problems:
                print(f"  {problem}")
            failed += bool(problems)
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    command, args = (argv[0], argv[1:]) if argv else ("help", [])
    if command == "services":
        from courselab import services

        return services.up()
    if command == "notebooks":
        return notebooks(args)
    if command == "new-lesson" and len(args) == 3:
        from courselab import scaffold

        print(scaffold.new_lesson(*args))
        return 0
    print(__doc__)
    return 0 if command == "help" else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
