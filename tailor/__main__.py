from tailor.cli import app

app(prog_name="tailor")
