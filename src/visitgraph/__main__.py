"""Run the CLI as `python -m visitgraph`."""

from visitgraph.cli.main import main

if __name__ == "__main__":
    main()
