from archgen.cli import main

raise SystemExit(main())
