from socialfund.cli import main

raise SystemExit(main())
