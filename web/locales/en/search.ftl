search-label = Search the forum
search-placeholder = Search…
search-submit = Search
search-title = Search
search-title-for = “{ $q }” · Search
search-count = { $count ->
    [one] One post found
   *[other] { $count } posts found
}
search-none = Nothing found. Try other words, or fewer.
search-next = More results
search-solved = Solved
search-official = Official answer
search-within-thread = Searching within one thread
search-within-author = Searching { $name }'s posts
search-everywhere = search everywhere
search-this-thread = Search this thread
search-member-posts = Search { $name }'s posts
search-filters = Narrow it down
search-category = Category
search-any = Any
search-kind = Kind
search-solved-filter = Solved
search-unsolved = Unsolved
search-official-only = With an official answer
search-from = From
search-to = To
search-sort = Sort by
search-sort-relevance = Relevance
search-sort-newest = Newest
search-sort-reactions = Most reactions
similar-check = Check for similar threads
similar-title = Already asked? Similar threads
similar-none = No similar thread yet.
search-fallback-staff = Staff notice: Meilisearch cannot be reached, so these results come from the database's own index (no typo tolerance). Nothing is lost: changes wait in the search outbox until it is back. See Background jobs.
search-engine-database = The database's own index
search-engine-meilisearch = Meilisearch
search-count-capped = More than { $count } posts match: these are the best of the newest { $count }. Add words to narrow it down.
search-events = Events
search-event-cancelled = Cancelled
search-count-events = { $count ->
    [one] One event found
   *[other] { $count } events found
}
kind-event = Event
