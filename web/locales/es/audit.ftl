# El registro de auditoría.
audit-title = Registro de auditoría
audit-intro = Cada decisión, sanción, declaración de motivos, publicación de normas, revocación y paso de un caso, en orden. Cada entrada guarda el hash de la anterior, así que cambiar o quitar cualquier entrada rompe la cadena desde ahí. Nadie puede editar ni borrar una entrada.
audit-verified = La cadena se verifica: { $count } entradas, ninguna cambiada ni quitada.
audit-broken = La cadena está rota en la entrada { $id } ({ $kind }): se cambió o se quitó después de escribirse. { $count } entradas comprobadas.
audit-head = Hash de la entrada más reciente (anótalo para comprobar después que no se cortó nada del final):
audit-when = Cuándo
audit-who = Quién
audit-what = Qué
audit-target = Sobre
audit-reason = Motivo
audit-hash = Hash
audit-automated = automático
audit-empty = Aún no hay nada registrado.
nav-audit = Registro de auditoría
