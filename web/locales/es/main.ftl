## Navegación y estructura
nav-skip = Ir al contenido
nav-label = Principal
nav-home = Inicio
nav-login = Entrar
nav-register = Registrarse
nav-logout = Salir
nav-sessions = Sesiones
nav-tokens = Tokens de API
nav-admin = Administración
footer-powered = Funciona con Tertulia, la plataforma de comunidad que pertenece a sus miembros.

## Inicio
home-title = Inicio
home-welcome = Bienvenido a la comunidad de { $brand }
home-intro = Haz preguntas, comparte lo que sabes y conoce a otros clientes.
home-greeting = Qué bueno verte, { $name }.

## Formularios
field-username = Nombre de usuario
field-email = Correo electrónico
field-display-name = Nombre visible
field-optional = (opcional)
field-password = Contraseña
field-login = Usuario o correo electrónico
field-language = Idioma
language-auto = El de mi navegador
language-en = English
language-es = Español
action-save = Guardar
action-next-page = Página siguiente

## Registro y acceso
register-title = Crea tu cuenta
register-submit = Crear cuenta
register-password-hint = Al menos 10 caracteres. Una frase que recuerdes es una buena contraseña.
register-have-account = ¿Ya tienes cuenta?
login-title = Entrar
login-submit = Entrar
login-no-account = ¿Eres nuevo?

## Perfil
profile-role = Rol
profile-trust-level = Nivel de confianza
profile-joined = Se unió
profile-settings = Tus ajustes
role-member = Miembro
role-moderator = Moderador
role-community_manager = Gestor de comunidad
role-admin = Administrador

## Sesiones y tokens
sessions-title = Tus sesiones
sessions-intro = Estos dispositivos tienen tu cuenta abierta. Revoca los que no reconozcas.
sessions-device = Dispositivo
sessions-address = Dirección
sessions-last-seen = Última actividad
sessions-actions = Acciones
sessions-unknown-device = Dispositivo desconocido
sessions-this-one = este dispositivo
sessions-revoke = Revocar
sessions-revoke-all = Cerrar sesión en todas partes
tokens-title = Tokens de API
tokens-intro = Los tokens permiten que tus herramientas usen la API en tu nombre. Envía uno como "Authorization: Bearer <token>".
tokens-created = Tu nuevo token. Cópialo ahora: no se volverá a mostrar.
tokens-name = Nombre
tokens-created-at = Creado
tokens-last-used = Último uso
tokens-never = Nunca
tokens-new = Nuevo token
tokens-create = Crear token

## Administración
admin-users-title = Miembros y roles

## Errores
error-title = Algo salió mal
error-invalid-input = Algunos campos necesitan tu atención.
error-invalid-form = No se pudo leer el formulario. Recarga la página e inténtalo de nuevo.
error-form-too-large = El formulario es demasiado grande.
error-invalid-json = El cuerpo de la petición no es un JSON válido con la forma esperada.
error-expected-json = Envía el cuerpo de la petición como JSON (Content-Type: application/json).
error-body-too-large = El cuerpo de la petición es demasiado grande.
error-invalid-query = La dirección contiene un parámetro no válido.
error-unauthenticated = Entra en tu cuenta para continuar.
error-bad-credentials = El usuario o correo y la contraseña no coinciden.
error-forbidden = No tienes permiso para hacer eso.
error-csrf-failed = Este formulario ha caducado o se envió desde otro sitio. Recarga la página e inténtalo de nuevo.
error-not-found = No encontramos esa página.
error-username-taken = Ese nombre de usuario ya existe. Elige otro.
error-email-unavailable = Este correo no se puede usar para una cuenta nueva. Si es tuyo, entra con él.
error-rate-limited = Demasiados intentos. Espera e inténtalo de nuevo.
error-rate-limited-seconds = Demasiados intentos. Vuelve a intentarlo en { $seconds } s.
error-internal = El servidor tuvo un problema. Quedó registrado; inténtalo de nuevo.
error-unavailable = El servicio no está disponible ahora mismo. Inténtalo de nuevo en un momento.
error-last-admin = El último administrador no puede perder ese rol.
error-username-length = Los nombres de usuario tienen de 3 a 20 caracteres.
error-username-chars = Usa letras, cifras, "_", "-" o "." y empieza por una letra o cifra.
error-email-invalid = Escribe un correo como nombre@ejemplo.com.
error-password-short = La contraseña necesita al menos 10 caracteres.
error-password-long = La contraseña puede tener como máximo 256 caracteres.
error-password-is-username = La contraseña no puede ser tu nombre de usuario.
error-display-name-invalid = Los nombres visibles tienen de 1 a 60 caracteres.
error-token-name = Ponle al token un nombre de 1 a 60 caracteres.
error-locale-invalid = Elige uno de los idiomas de la lista.
error-role-invalid = Elige uno de los roles de la lista.

## Foro
nav-latest = Lo último
nav-bookmarks = Marcadores
nav-categories = Categorías
nav-breadcrumb = Ruta
nav-pages = Páginas
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
thread-tools = Herramientas del tema
thread-pin = Fijar
thread-unpin = Desfijar
thread-lock = Cerrar
thread-unlock = Reabrir
thread-move = Mover a
thread-locked-notice = Este tema está cerrado: no admite respuestas nuevas.
watch-label = Notificaciones
watch-muted = Silenciado
watch-normal = Normal
watch-watching = Siguiendo
post-official = Respuesta oficial · { $department }
post-accepted = Respuesta aceptada
post-reply-to = En respuesta a #{ $number }
post-edited = editado (versión { $version })
post-bookmark = Guardar
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
composer-markdown-hint = Puedes usar Markdown: **negrita**, *cursiva*, listas, `código`, > citas, @usuario.
composer-preview = Vista previa
field-category = Categoría
field-kind = Tipo de tema
field-title = Título
field-body = Mensaje
field-reason = Motivo de la edición
field-name = Nombre
field-slug = Dirección (slug)
field-description = Descripción
field-parent = Categoría superior
field-visibility = Quién la ve
field-groups = Grupos (para categorías privadas)
history-title = Historial de ediciones
history-version = Versión { $version }
history-current = actual
history-reason = motivo
bookmarks-none = Aún no tienes marcadores.
admin-categories-title = Categorías
admin-category-new = Nueva categoría
admin-groups-title = Grupos
admin-group-new = Nuevo grupo
group-members = Miembros
group-no-members = nadie todavía
group-add = Añadir
group-remove = Quitar
action-more = Más
action-previous = Anterior
action-move = Mover
action-up = Subir
action-down = Bajar
action-create = Crear
error-title-length = Los títulos tienen de 5 a 150 caracteres.
error-body-empty = Escribe algo primero.
error-body-long = Los mensajes pueden tener como máximo 32.000 caracteres.
error-kind-invalid = Elige un tipo de tema de la lista.
error-category-unknown = Elige una de las categorías de la lista.
error-thread-locked = Este tema está cerrado: no admite respuestas nuevas.
error-reason-long = El motivo debe tener menos de 200 caracteres.
error-edit-conflict = Otra persona editó este mensaje a la vez. Recárgalo e inténtalo de nuevo.
error-not-a-question = Solo las preguntas tienen respuesta aceptada.
error-cannot-accept-question = La pregunta no puede ser su propia respuesta.
error-own-post = No puedes reaccionar a tu propio mensaje.
error-invalid-cursor = Ese enlace de página no es válido.
error-level-invalid = Elige silenciado, normal o siguiendo.
error-action-invalid = Esa acción no existe.
error-reaction-invalid = Esa reacción no está disponible.
error-category-name = Los nombres de categoría tienen de 1 a 60 caracteres.
error-slug-taken = Otra categoría ya usa esa dirección.
error-parent-invalid = La categoría superior debe ser de primer nivel y distinta de esta; una categoría con subcategorías no puede pasar a ser una.
error-visibility-invalid = Elige pública, solo miembros o privada.
error-group-unknown = Alguno de esos grupos no existe.
error-private-needs-group = Una categoría privada necesita al menos un grupo.
error-group-name = Los nombres de grupo tienen de 2 a 40 caracteres y sin comas.
error-group-taken = Ya existe un grupo con ese nombre.
error-user-unknown = No hay ningún miembro con ese nombre de usuario.
field-department = Departamento (personal de la marca)
error-department-long = Los departamentos tienen como máximo 60 caracteres.
profile-threads = Temas iniciados

## Notificaciones
nav-notifications = { $count ->
    [0] Notificaciones
   *[other] Notificaciones ({ $count })
}
notifications-title = Notificaciones
notifications-none = Nada todavía. Aquí verás respuestas, menciones y soluciones.
notifications-read-all = Marcar todo como leído
notifications-preferences = Ajustes de notificaciones
notifications-older = Anteriores
notification-reply = { $actor } respondió a tu tema «{ $title }»
notification-watched = { $actor } publicó en «{ $title }»
notification-mention = { $actor } te mencionó en «{ $title }»
notification-quote = { $actor } respondió a tu mensaje en «{ $title }»
notification-reaction = { $actor } reaccionó a tu mensaje en «{ $title }»
notification-accepted = { $actor } aceptó tu respuesta en «{ $title }»
notification-official = { $actor } publicó la respuesta oficial en «{ $title }»
preferences-title = Ajustes de notificaciones
preferences-intro = Elige cómo te llega cada tipo de notificación.
preferences-saved = Guardado.
kind-label-reply = Respuestas a mis temas
kind-label-watched = Mensajes nuevos en temas y categorías que sigo
kind-label-mention = Menciones
kind-label-quote = Respuestas a mis mensajes
kind-label-reaction = Reacciones a mis mensajes
kind-label-accepted = Mi respuesta aceptada
kind-label-official = Respuestas oficiales donde participé
delivery-off = Desactivado
delivery-in_app = Solo en la aplicación
delivery-email = Correo al momento
delivery-daily = Resumen diario
delivery-weekly = Resumen semanal
unsubscribe-title = Darse de baja
unsubscribe-confirm = ¿Dejar de recibir estos correos? Seguirás viendo las notificaciones en la aplicación.
unsubscribe-button = Darme de baja
unsubscribe-done = Hecho: ya no recibirás estos correos. Puedes cambiarlo en tus ajustes de notificaciones.
error-invalid-unsubscribe-link = Este enlace para darse de baja no es válido.
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

## Correo
mail-greeting = Hola, { $name }:
mail-open = Abrir la conversación
mail-footer = Recibes este correo porque eres miembro de la comunidad de { $brand }.
mail-unsubscribe = Darse de baja de estos correos
mail-reply-subject = { $actor } respondió a «{ $title }»
mail-reply-line = { $actor } respondió a tu tema «{ $title }»:
mail-watched-subject = Mensaje nuevo en «{ $title }»
mail-watched-line = { $actor } publicó en «{ $title }», que sigues:
mail-mention-subject = { $actor } te mencionó en «{ $title }»
mail-mention-line = { $actor } te mencionó en «{ $title }»:
mail-quote-subject = { $actor } respondió a tu mensaje en «{ $title }»
mail-quote-line = { $actor } respondió a tu mensaje en «{ $title }»:
mail-reaction-subject = { $actor } reaccionó a tu mensaje en «{ $title }»
mail-reaction-line = { $actor } reaccionó a tu mensaje en «{ $title }»:
mail-accepted-subject = Aceptaron tu respuesta en «{ $title }»
mail-accepted-line = { $actor } aceptó tu respuesta en «{ $title }»:
mail-official-subject = { $brand } respondió oficialmente en «{ $title }»
mail-official-line = { $actor } publicó la respuesta oficial en «{ $title }»:
mail-digest-daily-subject = Tu resumen diario de { $brand } ({ $count })
mail-digest-weekly-subject = Tu resumen semanal de { $brand } ({ $count })
mail-digest-intro = { $count ->
    [one] Desde el último resumen ha pasado una cosa:
   *[other] Desde el último resumen han pasado { $count } cosas:
}
mail-digest-reply = Respuesta
mail-digest-watched = Mensaje nuevo
mail-digest-mention = Mención
mail-digest-quote = Respuesta a tu mensaje
mail-digest-reaction = Reacción
mail-digest-accepted = Respuesta aceptada
mail-digest-official = Respuesta oficial
mail-verify-subject = Confirma tu correo en { $brand }
mail-verify-line = Confirma tu dirección para empezar a publicar en la comunidad de { $brand }:
mail-verify-button = Confirmar mi dirección
mail-verify-ignore = Si no te has registrado, ignora este correo.
mail-reset-subject = Restablece tu contraseña de { $brand }
mail-reset-line = Alguien pidió restablecer la contraseña de tu cuenta de { $brand }. El enlace funciona una vez, durante una hora:
mail-reset-button = Elegir una contraseña nueva
mail-reset-ignore = Si no fuiste tú, ignora este correo: tu contraseña no cambia.
mail-change_email-subject = Confirma tu nuevo correo en { $brand }
mail-change_email-line = Confirma que esta es la nueva dirección de tu cuenta de { $brand }:
mail-change_email-button = Confirmar la nueva dirección
mail-change_email-ignore = Si no lo pediste, ignora este correo: no cambia nada.

## Verificación, contraseña y cambio de correo
verify-banner = Confirma tu correo: te enviamos un enlace. Hasta entonces puedes leer pero no publicar.
verify-resend = Enviar el enlace otra vez
verify-sent = Te enviamos un nuevo enlace de confirmación.
verify-title = Confirma tu correo
verify-confirm = Confirmar
verify-done = Gracias: tu dirección está confirmada.
error-email-unverified = Confirma tu correo antes de publicar: te enviamos un enlace.
error-token-invalid = Este enlace no es válido, ha caducado o ya se usó. Puedes pedir uno nuevo.
forgot-title = ¿Olvidaste tu contraseña?
forgot-intro = Escribe el correo de tu cuenta y te enviaremos un enlace para elegir una contraseña nueva.
forgot-submit = Enviar el enlace
forgot-sent = Si alguna cuenta usa esa dirección, le hemos enviado un enlace. Funciona una vez, durante una hora.
forgot-link = ¿Olvidaste tu contraseña?
reset-title = Elige una contraseña nueva
reset-submit = Guardar la contraseña nueva
reset-done = Tu contraseña ha cambiado y se cerraron todas las sesiones. Entra con la nueva contraseña.
email-change-title = Cambiar tu correo
email-change-new = Nuevo correo
email-change-password = Tu contraseña actual
email-change-submit = Enviar un enlace de confirmación
email-change-sent = Enviamos un enlace de confirmación a la nueva dirección. Tu correo cambia cuando lo abras.
email-change-done = Tu correo ha cambiado.
nav-jobs = Tareas
error-preference-invalid = Elige una de las opciones de la lista.
