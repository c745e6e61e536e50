"""The demo site: its people and posts as data (content.py), the pictures drawn for them
(pictures.py), and the code that writes them into the database (build.py).

`manage.py demo` (planner/management/commands/demo.py) runs it.
"""
