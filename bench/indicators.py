"""./canbo bench indicators: see bench/indicators_bench.py."""

from bench.indicators_bench import main

if __name__ == "__main__":
    main()
