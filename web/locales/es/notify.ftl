### Notificaciones: la lista, las preferencias, darse de baja

## Notificaciones
notifications-title = Notificaciones
notifications-none = Nada todavía. Aquí verás respuestas, menciones y soluciones.
notifications-read-all = Marcar todo como leído
notifications-preferences = Ajustes de notificaciones
notifications-older = Anteriores
notifications-all = Todas las notificaciones
notification-reply = { $actor } respondió a tu tema «{ $title }»
notification-watched = { $actor } publicó en «{ $title }»
notification-mention = { $actor } te mencionó en «{ $title }»
notification-quote = { $actor } respondió a tu mensaje en «{ $title }»
notification-reaction = { $others ->
    [0] { $actor } reaccionó a tu mensaje en «{ $title }»: { $reactions }
    [one] { $actor } y otro miembro reaccionaron a tu mensaje en «{ $title }»: { $reactions }
   *[other] { $actor } y otros { $others } miembros reaccionaron a tu mensaje en «{ $title }»: { $reactions }
}
notification-reaction-unnamed = { $actor } reaccionó a tu mensaje en «{ $title }»
notification-accepted = { $actor } aceptó tu respuesta en «{ $title }»
notification-official = { $actor } publicó la respuesta oficial en «{ $title }»
notification-rules = Las normas de la comunidad cambiaron: «{ $title }»
notification-report_outcome = Los moderadores decidieron sobre tu reporte de «{ $title }»

## Preferencias
preferences-title = Ajustes de notificaciones
preferences-intro = Elige cómo te llega cada tipo de notificación.
kind-label-reply = Respuestas a mis temas
kind-label-watched = Mensajes nuevos en temas y categorías que sigo
kind-label-mention = Menciones
kind-label-quote = Respuestas a mis mensajes
kind-label-reaction = Reacciones a mis mensajes
kind-label-accepted = Mi respuesta aceptada
kind-label-official = Respuestas oficiales donde participé
kind-label-rules = Cambios importantes en las normas de la comunidad
kind-label-report_outcome = Decisiones sobre mis reportes
delivery-off = Desactivado
delivery-in_app = Solo en la aplicación
delivery-email = Correo al momento
delivery-daily = Resumen diario
delivery-weekly = Resumen semanal

## Darse de baja
unsubscribe-title = Darse de baja
unsubscribe-confirm = ¿Dejar de recibir estos correos? Seguirás viendo las notificaciones en la aplicación.
unsubscribe-button = Darme de baja
unsubscribe-done = Hecho: ya no recibirás estos correos. Puedes cambiarlo en tus ajustes de notificaciones.
notification-statement = Una decisión de moderación sobre «{ $title }»: lee la declaración de motivos
kind-label-statement = Declaraciones de motivos (siempre se entregan)
notification-case = Tu caso { $title } tiene novedades: ábrelo para ver en qué punto está
kind-label-case = Mis recursos y casos
notification-event_place = Tienes plaza en { $title }: eras el primero de la lista de espera
kind-label-event_place = Una plaza en un evento al que esperaba
notification-event_moved = Cambió una fecha a la que respondiste: { $title }
kind-label-event_moved = Cambia la fecha de un evento al que respondí
notification-event_cancelled = Se canceló un evento al que respondiste: { $title }
kind-label-event_cancelled = Se cancela un evento al que respondí
notification-event_reminder = Empieza pronto: { $title }
kind-label-event_reminder = Recordatorios de eventos a los que respondí
notification-event_follow_up = Ya está el seguimiento de { $title }: grabación y diapositivas
kind-label-event_follow_up = Seguimientos de eventos a los que fui
notification-badge_granted = Has ganado una insignia: { $title }
kind-label-badge_granted = Insignias que gano
notification-badge_revoked = Se ha retirado una insignia: { $title }
kind-label-badge_revoked = Insignias retiradas
notification-ambassador_nomination = Te han propuesto como embajadora de la comunidad
kind-label-ambassador_nomination = Propuestas de embajada
