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
