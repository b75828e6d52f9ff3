### Correo: asuntos y frases de cada correo (plantillas en web/templates/email)

## Todos los correos
mail-greeting = Hola, { $name }:
mail-open = Abrir la conversación
mail-footer = Recibes este correo porque eres miembro de la comunidad de { $brand }.
mail-unsubscribe = Darse de baja de estos correos

## Notificaciones
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
mail-rules-subject = Las normas de la comunidad de { $brand } cambiaron: «{ $title }»
mail-rules-line = { $actor } publicó una nueva versión de la norma «{ $title }»:
mail-report_received-subject = Tu reporte a los moderadores de { $brand }
mail-report_received-line = Hemos recibido tu reporte sobre «{ $title }» en la comunidad de { $brand }:
mail-report_received-next = Los moderadores lo revisarán y te contaremos el resultado en esta dirección. La persona reportada no sabe quién la reportó.
mail-report_outcome-subject = Los moderadores de { $brand } decidieron sobre tu reporte
mail-report_outcome-line = Los moderadores decidieron sobre tu reporte de «{ $title }». La decisión y sus motivos están en el registro público de moderación:

## Resúmenes
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
mail-digest-rules = Cambio en las normas de la comunidad
mail-digest-report_outcome = Decisión sobre tu reporte

## Verificación, contraseña y cambio de correo
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
mail-email_changed-subject = El correo de tu cuenta de { $brand } ha cambiado
mail-email_changed-line = El correo de tu cuenta de { $brand } es ahora { $email }. Te avisamos en la dirección anterior para que lo sepas.
mail-email_changed-undo = Si no hiciste este cambio, abre este enlace en los próximos 7 días: vuelve a poner esta dirección, cierra todas las sesiones de la cuenta y te envía un enlace para elegir una contraseña nueva.
mail-email_changed-button = No fui yo: deshacer el cambio

mail-statement-subject = Una decisión de moderación sobre ti en { $brand }: la declaración de motivos
mail-statement-line = Un moderador de la comunidad de { $brand } tomó una decisión que te afecta. Esto es lo que se decidió y por qué:
mail-digest-statement = Declaración de motivos
mail-case-subject = Tu caso { $title } en { $brand } tiene novedades
mail-case-line = Tu caso { $title } avanzó (recibido, asignado, escalado o decidido). Ábrelo para ver en qué punto está y qué se decidió:
mail-digest-case = Un caso tuyo avanzó
mail-event_place-subject = Tienes plaza en { $title } en { $brand }
mail-event_place-line = Quedó libre una plaza en { $title } y es tuya: eras el primero de la lista de espera. En la página del evento están los detalles (y, si es en línea, el enlace desde 15 minutos antes del comienzo):
mail-digest-event_place = Tienes plaza en un evento
mail-event_moved-subject = Nueva hora para { $title } en { $brand }
mail-event_moved-line = Cambió una fecha de un evento al que respondiste. Su nueva hora (en tu horario, con la zona indicada): { $title }. Tu calendario suscrito se actualiza solo; los detalles están en la página del evento:
mail-digest-event_moved = Cambió la fecha de un evento
mail-event_cancelled-subject = Cancelado: { $title } en { $brand }
mail-event_cancelled-line = Se canceló un evento al que respondiste: { $title }. Tu calendario suscrito lo marca como cancelado; los detalles están en la página del evento:
mail-digest-event_cancelled = Se canceló un evento
mail-event_reminder-subject = Recordatorio: { $title } en { $brand }
mail-event_reminder-line = Un evento al que respondiste empieza pronto: { $title }. En la página del evento están los detalles (y, si es en línea y asistes, el enlace desde 15 minutos antes):
mail-digest-event_reminder = Un evento empieza pronto
mail-event_follow_up-subject = Después de { $title } en { $brand }: grabación y diapositivas
mail-event_follow_up-line = Gracias por venir a { $title }. Quienes lo presentaron publicaron el seguimiento (la grabación, las diapositivas):
mail-digest-event_follow_up = El seguimiento de un evento al que fuiste
mail-badge_granted-subject = Has ganado la insignia { $title } en { $brand }
mail-badge_granted-line = Enhorabuena: has ganado una insignia.
mail-digest-badge_granted = Una insignia que has ganado
mail-badge_revoked-subject = Se ha retirado la insignia { $title } en { $brand }
mail-badge_revoked-line = Se ha retirado una insignia que tenías, por este motivo:
mail-digest-badge_revoked = Una insignia retirada
mail-ambassador_nomination-subject = Te proponen como embajadora de { $brand }
mail-ambassador_nomination-line = La responsable de la comunidad quiere que seas embajadora de la comunidad, y explica por qué:
mail-digest-ambassador_nomination = Una propuesta de embajada
