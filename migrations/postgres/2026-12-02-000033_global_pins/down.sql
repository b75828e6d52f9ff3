DROP INDEX threads_pinned_bumped;
