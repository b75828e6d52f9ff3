### Mensajes de error: `error-<código>` para cada código de error estable y problema de un campo

## Peticiones, sesiones y permisos
error-title = Algo salió mal
error-invalid-input = Algunos campos necesitan tu atención.
error-invalid-form = No se pudo leer el formulario. Recarga la página e inténtalo de nuevo.
error-form-too-large = El formulario es demasiado grande.
error-invalid-json = El cuerpo de la petición no es un JSON válido con la forma esperada.
error-expected-json = Envía el cuerpo de la petición como JSON (Content-Type: application/json).
error-body-too-large = El cuerpo de la petición es demasiado grande.
error-invalid-query = La dirección contiene un parámetro no válido.
error-nul-character = El texto contiene un carácter NUL, que no se puede guardar. Quítalo y vuelve a intentarlo.
error-unauthenticated = Entra en tu cuenta para continuar.
error-bad-credentials = El usuario o correo y la contraseña no coinciden.
error-forbidden = No tienes permiso para hacer eso.
error-csrf-failed = Este formulario ha caducado o se envió desde otro sitio. Recarga la página e inténtalo de nuevo.
error-not-found = No encontramos esa página.
error-rate-limited = Demasiados intentos. Espera e inténtalo de nuevo.
error-rate-limited-seconds = Demasiados intentos. Vuelve a intentarlo en { $seconds } s.
error-internal = El servidor tuvo un problema. Quedó registrado; inténtalo de nuevo.
error-unavailable = El servicio no está disponible ahora mismo. Inténtalo de nuevo en un momento.

## Cuentas
error-username-taken = Ese nombre de usuario ya existe. Elige otro.
error-email-unavailable = Este correo no se puede usar para una cuenta nueva. Si es tuyo, entra con él.
error-last-admin = El último administrador no puede perder ese rol.
error-username-length = Los nombres de usuario tienen de 3 a 20 caracteres.
error-username-chars = Usa letras, cifras, "_", "-" o "." y empieza por una letra o cifra.
error-email-invalid = Escribe un correo como nombre@ejemplo.com.
error-password-short = La contraseña necesita al menos 10 caracteres.
error-password-long = La contraseña puede tener como máximo 256 caracteres.
error-login-long = Un usuario o correo tiene como máximo 254 caracteres.
error-password-is-username = La contraseña no puede ser tu nombre de usuario.
error-display-name-invalid = Los nombres visibles tienen de 1 a 60 caracteres.
error-token-name = Ponle al token un nombre de 1 a 60 caracteres.
error-token-cannot-mint = Un token de API no puede crear más tokens: créalos con tu sesión iniciada o con tu contraseña.
error-token-expiry = Un token dura de 1 a 365 días, o hasta que lo revoques.
error-locale-invalid = Elige uno de los idiomas de la lista.
error-role-invalid = Elige uno de los roles de la lista.
error-user-unknown = No hay ningún miembro con ese nombre de usuario.
error-department-long = Los departamentos tienen como máximo 60 caracteres.
error-email-unverified = Confirma tu correo antes de publicar: te enviamos un enlace.
error-token-invalid = Este enlace no es válido, ha caducado o ya se usó. Puedes pedir uno nuevo.

## Foro
error-title-length = Los títulos tienen de 5 a 150 caracteres.
error-body-empty = Escribe algo primero.
error-body-long = Los mensajes pueden tener como máximo 32.000 caracteres.
error-kind-invalid = Elige un tipo de tema de la lista.
error-category-unknown = Elige una de las categorías de la lista.
error-thread-locked = Este tema está cerrado: no admite respuestas nuevas.
error-reason-long = El motivo debe tener menos de 200 caracteres.
error-edit-conflict = Otra persona editó este mensaje a la vez. Recárgalo e inténtalo de nuevo.
error-rule-number-taken = Otra norma ya tiene ese número.
error-not-a-question = Solo las preguntas tienen respuesta aceptada.
error-cannot-accept-question = La pregunta no puede ser su propia respuesta.
error-own-post = No puedes reaccionar a tu propio mensaje.
error-invalid-cursor = Ese enlace de página no es válido.
error-level-invalid = Elige silenciado, normal o siguiendo.
error-action-invalid = Esa acción no existe.
error-reaction-invalid = Esa reacción no está disponible.
error-rule-title = Los títulos de las normas tienen de 3 a 120 caracteres.
error-rule-body = Escribe el texto de la norma (como máximo 10.000 caracteres).
error-rule-number = Los números de norma van del 1 al 999.
error-rule-unchanged = Esta versión no cambia nada: edita el título o el texto.
error-rule-effective = Una versión entra en vigor desde hoy hasta dentro de un año.
error-rules-not-accepted = Lee y acepta las normas de la comunidad para unirte.
error-report-target = Ahí no hay nada que reportar (o no puedes verlo).
error-report-reason = Elige un motivo de la lista.
error-report-text = Di qué está mal (como máximo 2.000 caracteres).
error-report-bona-fide = Los reportes de contenido ilegal necesitan la declaración de buena fe.
error-report-self = No puedes reportarte a ti mismo.
error-reason-required = Explica la decisión: la leerán las personas afectadas.
error-not-allowed = No puedes decidir este asunto: estás implicado, ya está resuelto o espera a la gestora de la comunidad.
error-stale-version = Este asunto cambió desde que lo cargaste. Recarga la cola y vuelve a mirarlo.
error-claimed-by-other = Otro moderador está trabajando en este asunto.
error-decision-action = Elige una acción que se aplique a este asunto: ocultar, eliminar, editar, aprobar o rechazar contenido retenido, mantener, descartar o escalar.

## Categorías y grupos
error-category-name = Los nombres de categoría tienen de 1 a 60 caracteres.
error-slug-taken = Otra categoría ya usa esa dirección.
error-parent-invalid = La categoría superior debe ser de primer nivel y distinta de esta; una categoría con subcategorías no puede pasar a ser una.
error-visibility-invalid = Elige pública, solo miembros o privada.
error-group-unknown = Alguno de esos grupos no existe.
error-private-needs-group = Una categoría privada necesita al menos un grupo.
error-group-name = Los nombres de grupo tienen de 2 a 40 caracteres y sin comas.
error-group-taken = Ya existe un grupo con ese nombre.

## Notificaciones
error-invalid-unsubscribe-link = Este enlace para darse de baja no es válido.
error-preference-invalid = Elige una de las opciones de la lista.
error-rule-required = Una decisión restrictiva debe citar una norma en vigor (su id y versión) y explicarse.
error-already-sanctioned = Este miembro ya tiene una sanción de ese tipo en vigor.
error-silenced = Un moderador ha silenciado tu cuenta por un tiempo: puedes leer pero no publicar. El porqué, hasta cuándo y cómo recurrir están en tus declaraciones de motivos, en /me/statements.
error-suspended = Tu cuenta está suspendida: solo puedes leer tus declaraciones de motivos en /me/statements, que explican el porqué, hasta cuándo y cómo recurrir.
error-sanction-kind = Elige advertencia, silencio, suspensión o expulsión.
error-sanction-days = Un silencio o una suspensión dura de 1 a 365 días.
error-watched-word-blocked = Este texto contiene palabras que la comunidad no permite.
error-watched-word = «{ $word }» no está permitido aquí (norma { $rule }). Redáctalo de otra forma.
error-watched-word-pattern = Escribe una palabra o frase (letras, cifras, espacios; * cubre el resto de una palabra), de hasta 100 caracteres.
error-watched-word-action = Elige retener, marcar, sustituir o bloquear.
error-watched-word-replacement = Indica el texto que la sustituye.
error-watched-word-taken = Esa palabra o frase ya está vigilada.
error-setting-unknown = No existe ese ajuste.
error-setting-range = Indica un número entero de { $min } a { $max }.
error-trust-level = Elige un nivel de confianza de 0 a 4.
error-reports-paused = La mayoría de tus reportes recientes se consideraron infundados, así que tus reportes quedan en pausa un tiempo (Reglamento de Servicios Digitales de la UE, art. 23). Puedes seguir escribiendo al community manager.
error-already-appealed = Ya recurriste esta decisión: cada decisión se puede recurrir una vez. La página de tu caso muestra en qué punto está.
error-conflict-of-interest = Participaste en esta decisión (la tomaste, la reclamaste o la reportaste, o trata sobre ti), así que no puedes revisar su recurso. Lo hará otro moderador o el community manager.
error-case-closed = Este caso ya está decidido, es inadmisible o fue retirado.
error-appeal-text = Explica por qué la decisión es errónea (hasta 2000 caracteres).
error-appeal-what = Indica la declaración de motivos (o la decisión) que recurres.
error-appeal-shorter = Indica un número de días, de 1 a 365, menor que el plazo de la sanción.
error-case-outcome = Elige confirmada, modificada, revocada o inadmisible.
error-case-modify = Solo se puede modificar una sanción con plazo (acortándola con «días») o una eliminación (convertida en ocultación); si no, confírmala o revócala.
error-case-transition = Un caso solo puede escalarse (por quien lo revisa) o retirarse (por quien recurre).
