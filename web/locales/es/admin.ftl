### Administración: miembros, categorías, grupos, tareas en segundo plano

## Miembros
admin-users-title = Miembros y roles
field-department = Departamento (personal de la marca)

## Categorías y grupos
field-name = Nombre
field-slug = Dirección (slug)
field-description = Descripción
field-flair = Distintivo
field-flair-hint = Opcional: una etiqueta corta junto al nombre de sus miembros en sus mensajes, como «Embajador».
field-parent = Categoría superior
field-visibility = Quién la ve
field-groups = Grupos (para categorías privadas)
field-start-rule = Quién puede abrir temas
field-reply-rule = Quién puede responder
field-posting-trust = Nivel de confianza (para «nivel de confianza»)
field-posting-groups = Grupos que pueden publicar (para «miembros de grupos»)
posting-rule-everyone = Todos
posting-rule-groups = Miembros de grupos
posting-rule-staff = Solo el equipo
posting-rule-trust = Nivel de confianza o superior
admin-categories-title = Categorías
admin-category-new = Nueva categoría
admin-groups-title = Grupos
admin-group-new = Nuevo grupo
group-members = Miembros
group-no-members = nadie todavía
group-add = Añadir
group-remove = Quitar

## Tareas en segundo plano y correo
admin-outbox-title = Tareas en segundo plano y correo
admin-outbox-pending = En espera
admin-outbox-running = En curso
admin-outbox-failed = Fallidas
admin-outbox-done = Hechas
admin-outbox-mail-queued = Correos en cola
admin-outbox-mail-sent = Correos enviados
admin-outbox-retry = Reintentar
admin-outbox-no-failures = No hay tareas fallidas.
admin-outbox-error = Último error
admin-search-title = Índice de búsqueda
admin-search-engine = Motor
admin-search-pending = Cambios pendientes de indexar
admin-search-oldest = El más antiguo espera desde hace
admin-search-seconds = { $n ->
    [one] un segundo
   *[other] { $n } segundos
}
admin-search-failure = Meilisearch está fallando: { $error }. Mientras tanto las búsquedas usan el índice propio de la base de datos; el trabajador reintenta y envía todos los cambios pendientes cuando responda.
