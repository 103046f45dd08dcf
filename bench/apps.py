from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark-only code: the bare view and generate_dataset. Installed only when BENCH_BARE_VIEW is on."""

    name = "bench"
