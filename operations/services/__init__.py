"""Operations services: heartbeats, recovery of lost and orphaned exports, health, the resilient worker."""
