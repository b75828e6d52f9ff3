search-label = Buscar en el foro
search-placeholder = Buscar…
search-submit = Buscar
search-title = Búsqueda
search-title-for = «{ $q }» · Búsqueda
search-count = { $count ->
    [one] Un mensaje encontrado
   *[other] { $count } mensajes encontrados
}
search-none = No se encontró nada. Prueba con otras palabras, o con menos.
search-next = Más resultados
search-solved = Resuelto
search-official = Respuesta oficial
search-within-thread = Buscando dentro de un hilo
search-within-author = Buscando en los mensajes de { $name }
search-everywhere = buscar en todo el foro
search-this-thread = Buscar en este hilo
search-member-posts = Buscar en los mensajes de { $name }
search-filters = Afinar
search-category = Categoría
search-any = Cualquiera
search-kind = Tipo
search-solved-filter = Resuelto
search-unsolved = Sin resolver
search-official-only = Con respuesta oficial
search-from = Desde
search-to = Hasta
search-sort = Ordenar por
search-sort-relevance = Relevancia
search-sort-newest = Más recientes
search-sort-reactions = Más reacciones
similar-check = Buscar hilos parecidos
similar-title = ¿Ya se preguntó? Hilos parecidos
similar-none = Aún no hay hilos parecidos.
search-fallback-staff = Aviso para el equipo: no se puede contactar con Meilisearch, así que estos resultados vienen del índice propio de la base de datos (sin tolerancia a erratas). No se pierde nada: los cambios esperan en la cola de búsqueda hasta que vuelva. Consulta Tareas en segundo plano.
search-engine-database = El índice propio de la base de datos
search-engine-meilisearch = Meilisearch
search-count-capped = Coinciden más de { $count } mensajes: estos son los mejores de los { $count } más recientes. Añade palabras para acotar la búsqueda.
search-events = Eventos
search-event-cancelled = Cancelado
search-count-events = { $count ->
    [one] Un evento encontrado
   *[other] { $count } eventos encontrados
}
kind-event = Evento
