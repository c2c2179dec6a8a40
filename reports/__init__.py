"""Reports over every app: the rounds' overview pages and the round workbook (which reads the
applications and the competition's ranking), and the ``export_budget`` command. Nothing below
imports this package."""
