"""Options shared by every test folder."""


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite golden files from the current code (then review and commit the diff)",
    )
