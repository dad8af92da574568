"""oskit.course: the chapters as coursework (nbgrader assignments) for an instructor.

The map:

    build.py       `python -m oskit course build DIR [--seed N]`: an nbgrader course directory
                   whose assignments are the chapters, exercises as solution + autograded test cells
    solutions.py   the instructor's answer to every exercise (following the seed), and the
                   words of seeded exercises' prose
    cli.py         the `course` subcommand

The seeded numbers themselves live in oskit/book/variant.py: the checks read them too.
docs/instructors.md is the guide (building, seeding, grading, deploying on JupyterHub).
"""
