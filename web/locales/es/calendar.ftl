events-title = Eventos
events-new = Nuevo evento
events-category = Categoría
events-any = Cualquiera
events-format = Formato
events-format-online = En línea
events-format-in_person = En persona
events-from = Desde
events-to = Hasta
events-filter = Mostrar
events-none = Aún no hay eventos en estas fechas.
event-in-person = En persona
event-hosts = Presentan: { $names }
event-cancelled = Cancelado
event-moved = Cambiado de fecha
event-next = Próxima fecha
event-dates = Todas las fechas
event-going-count = { $count ->
    [one] 1 asistente
   *[other] { $count } asistentes
}
event-waitlist-count = { $count } en lista de espera
event-places-left = { $count ->
    [0] Completo: las nuevas respuestas entran en la lista de espera
    [one] Queda 1 plaza
   *[other] Quedan { $count } plazas
}
event-link = Entra aquí:
event-link-later = El enlace de la reunión aparece aquí 15 minutos antes del comienzo.
event-my-rsvp-going = Vas a asistir.
event-my-rsvp-interested = Te interesa.
event-my-rsvp-not_going = No vas a asistir.
event-my-rsvp-waitlisted = Estás en la lista de espera.
event-waitlist-position = Tu puesto: { $position }. Recibirás una plaza automáticamente cuando quede una libre, y te avisaremos.
event-rsvp-going = Asistiré
event-rsvp-interested = Me interesa
event-rsvp-not_going = No asistiré
event-withdraw = Retirar mi respuesta
event-login-to-rsvp = Inicia sesión para responder
event-rsvp-closed = Las respuestas para esta fecha están cerradas.
event-form-title = Título
event-form-body = Descripción (Markdown)
event-form-starts = Empieza
event-form-ends = Termina
event-form-zone = Zona horaria (nombre IANA, p. ej. Europe/Madrid)
event-form-online = Enlace de la reunión en línea
event-form-location = Lugar y dirección
event-form-where-hint = Un enlace, un lugar, o ambos. El enlace solo lo ven quienes asisten, desde 15 minutos antes del comienzo.
event-form-capacity = Plazas por fecha (vacío: sin límite)
event-form-recurrence = Se repite
event-form-recurrence-hint = Vacío para una sola fecha; weekly (cada semana), biweekly (cada dos semanas), monthly (el mismo día de la semana del mes) o una RRULE como FREQ=WEEKLY;BYDAY=TU,TH;COUNT=10.
event-form-occurrences = Número de fechas (si se repite sin fin)
event-form-deadline = Las respuestas se cierran el (opcional)
event-form-hosts = Presentadores (nombres de usuario separados por comas; tú si lo dejas vacío)
event-form-submit = Crear evento
event-recurrence-weekly = Cada semana
event-recurrence-biweekly = Cada dos semanas
event-recurrence-monthly = Cada mes, el mismo día de la semana
