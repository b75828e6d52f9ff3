### Palabras que comparten todas las páginas: navegación, pie, idiomas, botones

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
nav-latest = Lo último
nav-events = Eventos
nav-bookmarks = Marcadores
nav-categories = Categorías
nav-breadcrumb = Ruta
nav-pages = Páginas
nav-notifications = { $count ->
    [0] Notificaciones
   *[other] Notificaciones ({ $count })
}
nav-jobs = Tareas

## Formularios y botones
field-optional = (opcional)
language-auto = El de mi navegador
language-en = English
language-es = Español
nav-user-menu = tu menú
nav-more = Más
nav-profile = Mi perfil
nav-language = Idioma
nav-language-apply = Cambiar
action-save = Guardar
notice-saved = Tus cambios están guardados.
time-just-now = ahora mismo
time-minutes-ago = hace { $count } min
time-hours-ago = hace { $count } h
time-days-ago = { $count ->
    [one] ayer
   *[other] hace { $count } días
}
action-next-page = Página siguiente
action-more = Más
action-previous = Anterior
action-move = Mover
action-up = Subir
action-down = Bajar
action-create = Crear
# A refused form: the page title's prefix and the summary of what to fix.
form-error-prefix = Error:
form-error-summary = Corrige lo siguiente:
