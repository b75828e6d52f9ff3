### Cuentas: registro, acceso, perfil, sesiones, tokens, verificación, contraseña, cambio de correo

## Registro y acceso
field-username = Nombre de usuario
field-email = Correo electrónico
field-display-name = Nombre visible
field-password = Contraseña
field-login = Usuario o correo electrónico
field-language = Idioma
register-title = Crea tu cuenta
register-submit = Crear cuenta
register-password-hint = Al menos 10 caracteres. Una frase que recuerdes es una buena contraseña.
register-accept-rules = He leído y acepto las
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
profile-threads = Temas iniciados

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
tokens-expires = Caduca
tokens-until-revoked = Al revocarlo
tokens-days = En { $days } días
tokens-new = Nuevo token
tokens-create = Crear token

## Verificación, contraseña y cambio de correo
verify-banner = Confirma tu correo: te enviamos un enlace. Hasta entonces puedes leer pero no publicar.
verify-resend = Enviar el enlace otra vez
verify-sent = Te enviamos un nuevo enlace de confirmación.
verify-title = Confirma tu correo
verify-confirm = Confirmar
verify-done = Gracias: tu dirección está confirmada.
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
email-undo-title = Deshacer el cambio de correo
email-undo-line = Esto vuelve a poner el correo anterior en la cuenta, cierra todas las sesiones (y los tokens de API) y envía a esa dirección un enlace para elegir una contraseña nueva.
email-undo-button = Deshacer el cambio y cerrar todas las sesiones
email-undo-done = El correo anterior ha vuelto y todas las sesiones están cerradas. Busca en ese buzón el enlace para elegir una contraseña nueva.
field-time-zone = Zona horaria
field-time-zone-hint = Un nombre IANA como Europe/Madrid o America/Bogota: las horas de los eventos se muestran y avisan en este horario. Vacío: el de tu navegador.
