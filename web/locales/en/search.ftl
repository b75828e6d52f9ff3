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
