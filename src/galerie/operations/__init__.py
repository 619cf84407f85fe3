"""Operations: health and readiness probes, request ids and access logs, Prometheus metrics."""
