"""Demo and scale data for Alliance Portal.

``load_demo_data`` builds a small, realistic Zibo (淄博) portal whose applications have moved through
the real services, so timelines, versions, scores and notifications exist; ``generate_scale_data``
bulk-creates a province-sized data set for benchmarks. Nothing here runs in production requests.
"""
