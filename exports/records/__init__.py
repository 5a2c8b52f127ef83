"""The read side of export records: who sees which, their filters, predicates and analytics."""
