### Foro: inicio, categorías, temas, mensajes, reacciones, editor, historial, marcadores

## Inicio
home-title = Inicio
home-welcome = Bienvenido a la comunidad de { $brand }
home-intro = Haz preguntas, comparte lo que sabes y conoce a otros clientes.
home-greeting = Qué bueno verte, { $name }.
home-latest = Lo último
home-categories = Categorías
home-new-since = { $count ->
    [0] Nada nuevo desde tu última visita.
    [one] Un tema tiene mensajes nuevos desde tu última visita.
   *[other] { $count } temas tienen mensajes nuevos desde tu última visita.
}
category-threads = { $count ->
    [one] 1 tema
   *[other] { $count } temas
}
category-top-level = (nivel superior)
visibility-public = Pública
visibility-members = Solo miembros
visibility-private = Privada

## Temas
kind-discussion = Conversación
kind-question = Pregunta
kind-announcement = Anuncio
thread-new = Nuevo tema
thread-create = Publicar
thread-none = Aún no hay temas aquí.
thread-pinned = Fijado
thread-locked = Cerrado
thread-solved = Resuelto
thread-question = Pregunta
thread-official-answer = Respuesta oficial
thread-unread = { $count } nuevos
thread-replies = { $count ->
    [one] 1 respuesta
   *[other] { $count } respuestas
}
thread-views = { $count ->
    [one] 1 visita
   *[other] { $count } visitas
}
thread-jump-unread = Ir al primer mensaje sin leer
thread-answers = Respuestas
pager-first = Primera
pager-last = Último mensaje
pager-position = Mensajes { $first }–{ $last } de { $total }
directory-title = Miembros
directory-search = Nombre
directory-sort = Ordenar por
directory-sort-activity = Actividad reciente
directory-sort-joined = Miembros más nuevos
directory-sort-name = Nombre
directory-show = Mostrar
directory-staff = Equipo de { $department }
directory-posts = { $count ->
    [one] 1 mensaje
   *[other] { $count } mensajes
}
directory-joined = se unió
directory-seen = visto
directory-more = Se muestran los primeros { $count }: busca por nombre para encontrar a otros.
directory-none = Ningún miembro coincide con ese nombre.
nav-members = Miembros
filter-label = Mostrar
filter-all = Todos
filter-unanswered = Sin respuesta
filter-unsolved = Sin resolver
filter-solved = Resueltos
filter-questions = Preguntas
filter-mine = Mis temas
filter-needs_staff = Esperan respuesta del equipo
thread-started-by = abierto por { $name }
thread-last-reply-by = última respuesta de { $name }
thread-answer-read = Leer la respuesta completa (mensaje #{ $number })
thread-tools = Herramientas del tema
thread-pin = Fijar
thread-unpin = Desfijar
thread-pin-globally = Fijar en la portada
thread-lock = Cerrar
thread-unlock = Reabrir
thread-move = Mover a
thread-locked-notice = Este tema está cerrado: no admite respuestas nuevas.
category-reply-everyone = Cualquiera puede responder en { $category }.
category-reply-groups = Solo los miembros de { $groups } y el equipo responden en { $category }.
category-reply-staff = Solo el equipo responde en { $category }.
category-reply-trust = Responder en { $category } requiere el nivel de confianza { $trust }; se alcanza participando.
category-start-short-everyone = abierta a todos
category-start-short-groups = solo { $groups }
category-start-short-staff = solo el equipo
category-start-short-trust = nivel de confianza { $trust } o más
watch-label = Notificaciones
watch-muted = Silenciado
watch-normal = Normal
watch-watching = Siguiendo

## Mensajes, reacciones y respuestas
post-official = Respuesta oficial · { $department }
post-accepted = Respuesta aceptada
post-reply-to = En respuesta a #{ $number }
post-edited = editado (versión { $version })
post-bookmark = Añadir a marcadores
post-unbookmark = Quitar de marcadores
post-quote = Citar
post-edit = Editar
post-accept = Aceptar como respuesta
post-unaccept = Quitar como respuesta
reaction-like = Me gusta
reaction-love = Me encanta
reaction-laugh = Divertido
reaction-thanks = Gracias
reaction-insightful = Revelador
reply-title = Tu respuesta
reply-submit = Responder
reply-official = Publicar como respuesta oficial de la marca
reply-login = Entra para responder
composer-markdown-hint = Puedes usar Markdown: **negrita**, *cursiva*, listas, `código`, > citas, @usuario, emoji como :coffee: :+1: :heart: :smile: :check:.
composer-preview = Vista previa
field-category = Categoría
field-kind = Tipo de tema
field-title = Título
field-body = Mensaje
field-reason = Motivo de la edición

## Historial y marcadores
history-title = Historial de ediciones
history-version = Versión { $version }
history-current = actual
history-reason = motivo
bookmarks-none = Aún no tienes marcadores.
history-moderator = Un moderador
thread-live-new = { $count ->
    [one] 1 respuesta nueva — mostrar
   *[other] { $count } respuestas nuevas — mostrar
}
draft-save = Guardar borrador
draft-saved = Borrador guardado
draft-restored = Tu borrador sin enviar ha vuelto.
mention-suggestions = Miembros a mencionar
filter-top_week = Lo mejor de la semana
filter-top_month = Lo mejor del mes
filter-top_year = Lo mejor del año
filter-top_all = Lo mejor de siempre
action-close = Cerrar
member-posts = Mensajes
member-solutions = Soluciones
member-reactions = Reacciones recibidas
profile-recent-posts = Mensajes recientes
