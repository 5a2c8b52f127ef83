"""Realistic, reproducible Craigslist demo data for Leadsite (see `demo_data_seed`).

content.py holds the sites, categories and words; planning.py the scrape runs;
posts.py turns runs into lead rows; loading.py writes them in bulk.
"""

from leads.demo_data.seeding import DEFAULT_BATCH_SIZE, DEFAULT_SEED, SeedResult, default_run_count, demo_data_seed

__all__ = ["DEFAULT_BATCH_SIZE", "DEFAULT_SEED", "SeedResult", "default_run_count", "demo_data_seed"]
