import sys

from leaklint.cli import main

sys.exit(main())
