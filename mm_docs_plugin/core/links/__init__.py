"""Layer 5, links: a spec carried in a URL (``#mm=`` state) and mm links out."""
