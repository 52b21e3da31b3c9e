"""The monthly board report: HTML and PDF for the partnership and each workstream."""
