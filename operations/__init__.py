"""Operations: worker liveness (heartbeats), recovery of lost and orphaned exports, and /health/."""
