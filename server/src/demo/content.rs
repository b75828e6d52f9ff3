//! The demo brand community: a fictional coffee-equipment maker, "Cafetera Aurora", and its customers. Pure data; `demo::seed` writes it through the services.

pub struct DemoUser {
    pub username: &'static str, // 3-20 chars, ASCII letters/digits/_ only, starts with a letter
    pub display_name: &'static str,
    pub locale: &'static str,             // "es" or "en"
    pub role: &'static str,               // "member", "moderator", "community_manager" or "admin"
    pub department: Option<&'static str>, // brand staff department, e.g. Some("Soporte técnico"); None for customers
}

pub struct DemoCategory {
    pub slug: &'static str, // lowercase ascii, digits, '-'
    pub name: &'static str,
    pub description: &'static str,
    pub parent: Option<&'static str>, // slug of a top-level category, or None
    pub visibility: &'static str,     // "public", "members" or "private"
}

pub struct DemoReply {
    pub author: &'static str, // a username from USERS
    pub body: &'static str,   // Markdown
}

pub struct DemoThread {
    pub category: &'static str, // a slug from CATEGORIES
    pub kind: &'static str,     // "discussion", "question" or "announcement"
    pub author: &'static str,   // a username from USERS (announcements: staff only)
    pub title: &'static str,    // 10-120 chars
    pub body: &'static str,     // Markdown
    pub replies: &'static [DemoReply],
    pub accepted_reply: Option<usize>, // index into replies, questions only, the reply that answers it (must not be by the thread author)
    pub official_reply: Option<usize>, // index into replies whose author has a department: the brand's official answer
}

pub const USERS: &[DemoUser] = &[
    // --- Brand staff ---
    DemoUser {
        username: "marta_cm",
        display_name: "Marta Iglesias",
        locale: "es",
        role: "community_manager",
        department: Some("Comunidad"),
    },
    DemoUser {
        username: "mod_jorge",
        display_name: "Jorge Almeida",
        locale: "es",
        role: "moderator",
        department: None,
    },
    DemoUser {
        username: "soporte_luis",
        display_name: "Luis Beltrán",
        locale: "es",
        role: "member",
        department: Some("Soporte técnico"),
    },
    DemoUser {
        username: "producto_ana",
        display_name: "Ana Sorolla",
        locale: "es",
        role: "member",
        department: Some("Producto"),
    },
    // --- Customers (es) ---
    DemoUser {
        username: "lucia_barista",
        display_name: "Lucía Fernández",
        locale: "es",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "carlos_mv",
        display_name: "Carlos Martín Vega",
        locale: "es",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "elena_r",
        display_name: "Elena Ruiz",
        locale: "es",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "pablo_tostado",
        display_name: "Pablo Ortega",
        locale: "es",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "ines_cafe",
        display_name: "Inés Navarro",
        locale: "es",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "javi_moka",
        display_name: "Javier Gil",
        locale: "es",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "nuria_v60",
        display_name: "Núria Puig",
        locale: "es",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "andres_crema",
        display_name: "Andrés Salgado",
        locale: "es",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "sofia_lm",
        display_name: "Sofía López Marín",
        locale: "es",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "raul_espresso",
        display_name: "Raúl Domínguez",
        locale: "es",
        role: "member",
        department: None,
    },
    // --- Customers (en) ---
    DemoUser {
        username: "emma_brews",
        display_name: "Emma Clarke",
        locale: "en",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "tom_grinds",
        display_name: "Tom Whitaker",
        locale: "en",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "priya_k",
        display_name: "Priya Kapoor",
        locale: "en",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "dan_ristretto",
        display_name: "Daniel O'Brien",
        locale: "en",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "hannah_pour",
        display_name: "Hannah Schmidt",
        locale: "en",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "mike_latte",
        display_name: "Michael Chen",
        locale: "en",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "olivia_beans",
        display_name: "Olivia Grant",
        locale: "en",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "sam_dialin",
        display_name: "Sam Rivera",
        locale: "en",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "greta_k",
        display_name: "Greta Kowalski",
        locale: "en",
        role: "member",
        department: None,
    },
    DemoUser {
        username: "noah_steam",
        display_name: "Noah Bennett",
        locale: "en",
        role: "member",
        department: None,
    },
];

pub const CATEGORIES: &[DemoCategory] = &[
    DemoCategory {
        slug: "anuncios",
        name: "Anuncios · Announcements",
        description: "Novedades oficiales de Cafetera Aurora: firmware, lanzamientos y envíos. Official news from the Aurora team.",
        parent: None,
        visibility: "public",
    },
    DemoCategory {
        slug: "espresso",
        name: "Espresso · Máquinas",
        description: "Aurora Uno, Duo y Pro: extracción, vapor, presión y rutinas. Espresso machines, shots and milk.",
        parent: None,
        visibility: "public",
    },
    DemoCategory {
        slug: "molinos",
        name: "Molinos · Grinders",
        description: "Molino M2 y M5: punto de molienda, retención, calibración. Burr grinders and dialing in.",
        parent: None,
        visibility: "public",
    },
    DemoCategory {
        slug: "filtro",
        name: "Métodos de filtro · Brewing",
        description: "V60, Chemex, AeroPress, cold brew, la tetera Aurora y la báscula inteligente. Pour-over ratios and recipes.",
        parent: None,
        visibility: "public",
    },
    DemoCategory {
        slug: "soporte",
        name: "Soporte · Repairs",
        description: "Averías, códigos de error, descalcificación y recambios. Troubleshooting, descaling and spare parts.",
        parent: None,
        visibility: "public",
    },
    DemoCategory {
        slug: "garantia",
        name: "Garantía · Warranty",
        description: "Reclamaciones de garantía, plazos de reparación y devoluciones. Warranty claims and repair times.",
        parent: Some("soporte"),
        visibility: "public",
    },
    DemoCategory {
        slug: "ideas",
        name: "Ideas · Feature requests",
        description: "Propón mejoras para las máquinas, los molinos y la app. Tell the product team what to build next.",
        parent: None,
        visibility: "public",
    },
    DemoCategory {
        slug: "charla",
        name: "Charla · Off-topic",
        description: "Cafés de la semana, tostadores, viajes y latte art. Everything coffee-adjacent.",
        parent: None,
        visibility: "public",
    },
    DemoCategory {
        slug: "club-aurora",
        name: "Club Aurora · Members' lounge",
        description: "Rincón solo para miembros registrados: catas virtuales, intercambios y adelantos. Members only.",
        parent: None,
        visibility: "members",
    },
    DemoCategory {
        slug: "equipo",
        name: "Equipo · Staff room",
        description: "Sala interna del equipo de Cafetera Aurora. Private staff coordination.",
        parent: None,
        visibility: "private",
    },
];

pub const THREADS: &[DemoThread] = &[
    // ───────────── anuncios ─────────────
    DemoThread {
        category: "anuncios",
        kind: "announcement",
        author: "marta_cm",
        title: "Bienvenidos a la comunidad de Cafetera Aurora ☕",
        body: r#"¡Hola a todos! Este es el punto de encuentro para quienes preparan café con una **Aurora** en casa o en su cafetería.
Antes de publicar, tened en cuenta:

- Buscad primero: muchas dudas de molienda ya están resueltas en **Molinos · Grinders**.
- Para averías, indicad modelo y número de serie (lo encontraréis en la base, formato `AU-XXXX-XXXX`).
- Las preguntas se pueden marcar como resueltas: ¡hacedlo cuando os ayuden!

Cualquier duda sobre las normas, escribid a @mod_jorge o a mí."#,
        replies: &[
            DemoReply { author: "lucia_barista", body: "¡Qué bien que por fin haya un foro oficial! Llevo dos años con la Aurora Duo y tengo mil trucos que compartir." },
            DemoReply { author: "carlos_mv", body: "Gracias, Marta. ¿Habrá también sección para los que compramos la tetera y la báscula?" },
            DemoReply { author: "marta_cm", body: "@carlos_mv sí, todo lo de filtro, tetera y báscula va en **Métodos de filtro · Brewing**." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "anuncios",
        kind: "announcement",
        author: "marta_cm",
        title: "Welcome! How this community works (English speakers read this first)",
        body: r#"Hi everyone, and welcome to the **Cafetera Aurora** community! We are a Spanish team, but the forum is fully bilingual: post in English or Spanish, whichever you prefer.
Questions can be marked as solved, and replies from our staff show their department badge (e.g. *Soporte técnico*). If you need help with an order, please include your order number like `#AUR-104233` but never your address."#,
        replies: &[
            DemoReply { author: "emma_brews", body: "Great to see English welcome here. Looking forward to nerding out about puck prep!" },
            DemoReply { author: "tom_grinds", body: "Thanks Marta. Is there a place for grinder mods, or is that frowned upon warranty-wise? 😅" },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "anuncios",
        kind: "announcement",
        author: "producto_ana",
        title: "Firmware 2.3 para Aurora Pro: preinfusión ajustable y aviso de descalcificación",
        body: r#"Ya está disponible el firmware **2.3** para la Aurora Pro. Novedades:

- Preinfusión ajustable de 0 a 10 segundos (menú `Ajustes > Extracción > Preinfusión`).
- Aviso de descalcificación según la dureza del agua que configuréis.
- Corrección del fallo que reiniciaba el temporizador de shot al purgar el grupo.

La actualización se instala desde la app Aurora Connect y tarda unos 4 minutos; no apaguéis la máquina durante el proceso."#,
        replies: &[
            DemoReply { author: "raul_espresso", body: "¡Por fin preinfusión! ¿Se aplica también a la Aurora Duo o solo a la Pro?" },
            DemoReply { author: "producto_ana", body: "@raul_espresso de momento solo la Pro, porque la Duo no tiene válvula proporcional. Estamos estudiando una versión simplificada." },
            DemoReply { author: "andres_crema", body: "Actualizada sin problemas. Con 6 s de preinfusión mis shots de tueste claro han dejado de canalizar." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "anuncios",
        kind: "announcement",
        author: "producto_ana",
        title: "Shipping update: Molino M5 backorders in the UK and Ireland",
        body: r#"Demand for the **Molino M5** has outpaced our first production run, so orders shipping to the UK and Ireland are currently delayed by **2–3 weeks**.
Customs paperwork after the new carrier switch is the main bottleneck. Everyone affected will receive an email with a new estimated date and a 10% voucher for accessories."#,
        replies: &[
            DemoReply { author: "greta_k", body: "Thanks for being upfront about it. Will orders be shipped in the order they were placed?" },
            DemoReply { author: "producto_ana", body: "@greta_k yes, strictly first-in, first-out. Orders from the first week of March are leaving the warehouse now." },
            DemoReply { author: "dan_ristretto", body: "Mine just arrived in Dublin. Took a while but the packaging was excellent." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    // ───────────── espresso ─────────────
    DemoThread {
        category: "espresso",
        kind: "question",
        author: "emma_brews",
        title: "Channeling on my Aurora Duo: donut-shaped wet spots in the puck",
        body: r#"My spent pucks have a wet ring around the edge and a dry centre, and the shots taste sour and bitter at the same time. I'm using 18 g in the stock basket, ~36 g out in 28 s, grind setting `12` on the Molino M2.
Is this a distribution problem or something with the machine?"#,
        replies: &[
            DemoReply { author: "tom_grinds", body: r#"Classic channeling around the edge. Try a **WDT tool** (a few acupuncture needles in a cork works) and stir all the way to the bottom before tamping. Also make sure the tamp is level, not just hard."# },
            DemoReply { author: "sam_dialin", body: "A paper puck screen on top helped me as well, but WDT made the biggest difference. Also check you're not overdosing, 18 g is the max for the stock basket." },
            DemoReply { author: "emma_brews", body: "WDT fixed it! Even extraction and the sourness is gone. Thanks @tom_grinds 🙌" },
        ],
        accepted_reply: Some(0),
        official_reply: None,
    },
    DemoThread {
        category: "espresso",
        kind: "question",
        author: "carlos_mv",
        title: "¿Qué presión debería marcar el manómetro de la Aurora Pro durante el shot?",
        body: "Durante la extracción mi manómetro sube hasta 11 bar y se queda ahí. He leído que lo ideal son 9 bar, ¿es un problema de la máquina o estoy moliendo demasiado fino?",
        replies: &[
            DemoReply { author: "raul_espresso", body: r#"El manómetro de la Pro mide presión de bomba, no en el grupo, así que 10–11 bar con molienda fina es normal. Si quieres bajar, abre un par de puntos la molienda y mira si el shot sigue en **25–30 s**. Y con el firmware 2.3 puedes usar preinfusión, que suaviza la subida."# },
            DemoReply { author: "carlos_mv", body: "Abrí dos puntos y ahora marca 9,5 bar con 28 s. Sabe mucho más dulce. ¡Gracias!" },
        ],
        accepted_reply: Some(0),
        official_reply: None,
    },
    DemoThread {
        category: "espresso",
        kind: "discussion",
        author: "mike_latte",
        title: "Milk steaming tips for the Aurora Uno's single boiler",
        body: r#"The Uno is a single-boiler machine, so you have to wait for it to switch to steam temperature after pulling the shot. My routine:

1. Pull the shot.
2. Press the steam button and purge the wand while it heats (about 40 s).
3. Steam with the tip just below the surface until the jug is hand-warm, then sink it.

Anyone have a faster workflow?"#,
        replies: &[
            DemoReply { author: "noah_steam", body: "I steam first, then pull the shot. You have to flush the group to cool it down afterwards, but it saves the waiting." },
            DemoReply { author: "olivia_beans", body: "The two-hole tip from the accessories shop makes the Uno's steam feel a lot less weak. Worth the 12 euros." },
            DemoReply { author: "mike_latte", body: "@noah_steam tried steaming first this morning, works great. How long do you flush for?" },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "espresso",
        kind: "discussion",
        author: "lucia_barista",
        title: "Mi rutina de mañana con la Aurora Duo (y dos cortados)",
        body: r#"Enciendo la Duo con el enchufe programable a las 7:00 y a las 7:20 ya está estable. Molienda en el M2 en `9`, 17 g dentro, 34 g fuera, y mientras sale el shot ya estoy texturizando la leche en la otra caldera. **Dos cortados en menos de cinco minutos**, y sin prisas."#,
        replies: &[
            DemoReply { author: "ines_cafe", body: "¡Lo del enchufe programable es un gran truco! ¿No consume mucho estar 20 minutos encendida?" },
            DemoReply { author: "javi_moka", body: "@ines_cafe la Duo en reposo gasta poco, unos 0,05 kWh en ese rato según mi medidor." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "espresso",
        kind: "question",
        author: "dan_ristretto",
        title: "Aurora Uno takes 12 minutes to heat up. Is that normal?",
        body: "The ready light comes on after about 4 minutes, but my first shots are always sour unless I wait 12–15 minutes. Is the ready light lying or is something off with my unit?",
        replies: &[
            DemoReply { author: "priya_k", body: "Same here. I think the boiler is ready quickly but the group and portafilter need longer." },
            DemoReply { author: "soporte_luis", body: r#"That's expected behaviour. The light means the **boiler** has reached temperature, but the brass group head needs around 15 minutes to be thermally stable. Lock the empty portafilter in while it warms up and run one blank shot before your first real one."# },
            DemoReply { author: "dan_ristretto", body: "Makes sense, thanks Luis. Portafilter in the group + a blank shot and my first coffee is fine now." },
        ],
        accepted_reply: Some(1),
        official_reply: None,
    },
    DemoThread {
        category: "espresso",
        kind: "discussion",
        author: "raul_espresso",
        title: "Ristretto vs. espresso: los ratios que uso con tuestes claros",
        body: r#"Después de un mes de pruebas con cafés etíopes de tueste claro en la Aurora Pro, estos son mis ratios:

- **Ristretto**: 1:1,5 (18 g → 27 g), 25 s, 94 °C.
- **Espresso**: 1:2,2 (18 g → 40 g), 30 s, 95 °C.
- **Lungo**: 1:3 solo para cafés muy florales.

Con tuestes claros subir temperatura ayuda más que moler más fino."#,
        replies: &[
            DemoReply { author: "andres_crema", body: "Coincido con lo de la temperatura. En la Pro yo tengo el offset en `+1 °C` para los etíopes." },
            DemoReply { author: "sofia_lm", body: "Guardo esta tabla. Yo soy más de tuestes medios, pero probaré el 1:2,2." },
            DemoReply { author: "raul_espresso", body: "@sofia_lm con tuestes medios baja a 92–93 °C o te saldrá amargo." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "espresso",
        kind: "question",
        author: "andres_crema",
        title: "La Aurora Pro gotea por la lanceta de vapor aunque esté cerrada",
        body: "Desde hace una semana la lanceta suelta unas gotas cada pocos minutos con el mando cerrado del todo. ¿Es la junta del grifo? La máquina tiene 14 meses.",
        replies: &[
            DemoReply { author: "javi_moka", body: "Me pasó en la Duo. Era la junta tórica del eje del grifo de vapor; el kit de juntas la trae, pero hay que desmontar la tapa superior." },
            DemoReply { author: "andres_crema", body: "Gracias, @javi_moka. Prefiero no abrirla, así que esperaré a ver qué dice soporte." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "espresso",
        kind: "discussion",
        author: "sam_dialin",
        title: "Dialing in a new bag: my step-by-step shot log",
        body: r#"I keep a tiny log every time I open a new bag. Here's this week's Colombian on the Aurora Duo + Molino M5:

```
shot  grind  dose   yield  time  notes
1     14     18.0   36.2   22s   sour, thin
2     12     18.0   36.0   27s   better, a bit sharp
3     11     18.0   37.1   30s   sweet, caramel ✅
```

Three shots is usually all it takes if you only change one variable at a time."#,
        replies: &[
            DemoReply { author: "hannah_pour", body: "Love this. I do the same for pour-over but never thought of doing it for espresso." },
            DemoReply { author: "tom_grinds", body: "**Only one variable at a time** should be pinned on every forum. Nice log, Sam." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "espresso",
        kind: "discussion",
        author: "olivia_beans",
        title: "Aurora Duo vs Aurora Pro: is the dual boiler worth it for a latte household?",
        body: "We drink about six milk drinks a day between two people. Currently on an Aurora Uno and the wait for steam is killing us. Is the Pro's PID and pressure profiling worth the extra money over the Duo, or is the Duo enough?",
        replies: &[
            DemoReply { author: "mike_latte", body: "For mostly milk drinks, the Duo is plenty. The Pro's extras shine with light roasts and straight espresso." },
            DemoReply { author: "greta_k", body: "I upgraded from Uno to Duo last year. Steaming while the shot pulls changed my mornings completely." },
            DemoReply { author: "noah_steam", body: "The Pro has a slightly bigger steam boiler though, so back-to-back lattes recover faster. Depends how picky you are." },
            DemoReply { author: "olivia_beans", body: "Thanks all, ordering the Duo. I'll spend the difference on a Molino M5." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "espresso",
        kind: "question",
        author: "noah_steam",
        title: "Which milk pitcher size works best with the Aurora Uno steam wand?",
        body: "I'm using a 600 ml jug for a single flat white and the milk swirls badly. Should I go smaller?",
        replies: &[
            DemoReply { author: "mike_latte", body: "Go with 350 ml for single drinks. The Uno's wand is gentle and a big jug makes it hard to get a whirlpool going." },
            DemoReply { author: "noah_steam", body: "Will order one, thanks. Leaving this open in case anyone has a specific brand to recommend." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    // ───────────── molinos ─────────────
    DemoThread {
        category: "molinos",
        kind: "question",
        author: "ines_cafe",
        title: "¿Qué punto de molienda usáis en el Molino M2 para espresso?",
        body: "Acabo de recibir el M2 y no sé por dónde empezar. El manual dice entre `5` y `15` para espresso, pero es un rango enorme.",
        replies: &[
            DemoReply { author: "lucia_barista", body: "Yo estoy en `9` con un tueste medio en la Duo, pero depende muchísimo del café." },
            DemoReply { author: "pablo_tostado", body: r#"Empieza en `10`, haz un shot de 18 g y mira el tiempo:

- Menos de 22 s → cierra 1–2 puntos.
- Más de 35 s → abre 1–2 puntos.

Cada punto del M2 cambia unos 3–4 segundos el tiempo de extracción."# },
            DemoReply { author: "ines_cafe", body: "Con el método de @pablo_tostado llegué a `8` en tres intentos. ¡Gracias!" },
        ],
        accepted_reply: Some(1),
        official_reply: None,
    },
    DemoThread {
        category: "molinos",
        kind: "question",
        author: "tom_grinds",
        title: "Molino M5 retention: how many grams stay in the chute?",
        body: "I weigh 18.0 g in and get 17.4 g out, then the next dose comes out heavy. Is ~0.6 g retention expected on the M5?",
        replies: &[
            DemoReply { author: "sam_dialin", body: r#"0.3–0.6 g is normal for the M5 out of the box. Two things help: run the grinder for 2 s empty after each dose, and give the chute a tap. I'm at **0.1 g** retention with that routine."# },
            DemoReply { author: "greta_k", body: "The magnetic declumper that comes in the box also holds a bit. Cleaning it weekly helped mine." },
        ],
        accepted_reply: Some(0),
        official_reply: None,
    },
    DemoThread {
        category: "molinos",
        kind: "discussion",
        author: "priya_k",
        title: "Single dosing with the Molino M5: bellows hack or not?",
        body: "I've seen people 3D-print a bellows for the M5 hopper to blow out the last grounds. Does it actually help or is it just a fun gadget?",
        replies: &[
            DemoReply { author: "tom_grinds", body: "It helps, maybe 0.2 g less retention. But honestly the empty run + tap does 90% of the work." },
            DemoReply { author: "dan_ristretto", body: "I bought one and it mostly lives in a drawer now. Fun for a week." },
            DemoReply { author: "priya_k", body: "Ha, that's what I suspected. Skipping it then." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "molinos",
        kind: "question",
        author: "pablo_tostado",
        title: "El Molino M2 hace un ruido raro al moler muy fino",
        body: "Por debajo del punto `4` el M2 hace un chirrido metálico, como si las muelas se tocaran. ¿Es normal o debería dejar de usarlo?",
        replies: &[
            DemoReply { author: "carlos_mv", body: "Yo no bajaría de `5`, que es el mínimo del rango de espresso. Puede que las muelas estén rozando; escribe a soporte antes de que se dañen." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "molinos",
        kind: "discussion",
        author: "javi_moka",
        title: "Calibrar el cero del Molino M5: mi experiencia paso a paso",
        body: r#"Después de limpiar las muelas, el cero de mi M5 se había movido. Lo que hice:

1. Con el molino encendido y vacío, cerrar hasta oír que las muelas se tocan.
2. Aflojar el tornillo del dial con una llave `T10` y poner el dial en `0`.
3. Apretar y abrir hasta `3` antes de moler café.

**No lo hagáis con café dentro**, que se atasca."#,
        replies: &[
            DemoReply { author: "nuria_v60", body: "Muy útil. El manual lo explica fatal, con un dibujo minúsculo." },
            DemoReply { author: "raul_espresso", body: "Buen resumen. Yo además apunto el número de serie de las muelas por si algún día hay que pedir recambio." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "molinos",
        kind: "question",
        author: "greta_k",
        title: "Static and clumps from the Molino M2: is RDT worth it?",
        body: "Grounds fly everywhere and stick to the chute, especially with darker roasts. Does the spray-bottle trick (RDT) actually work on the M2?",
        replies: &[
            DemoReply { author: "hannah_pour", body: r#"Yes! One spritz of water on the beans before grinding, or just wet the handle of a spoon and stir. Static drops to almost nothing and clumps are gone."# },
            DemoReply { author: "emma_brews", body: "Works for me too. Don't overdo it though, one drop is enough for 18 g." },
        ],
        accepted_reply: Some(0),
        official_reply: None,
    },
    DemoThread {
        category: "molinos",
        kind: "discussion",
        author: "sam_dialin",
        title: "Molino M2 vs M5 in the cup: a blind test with three friends",
        body: "Same beans, same Aurora Duo, same recipe, only the grinder changed. Three of four tasters picked the M5 for espresso, but for a flat white nobody could tell them apart reliably.",
        replies: &[
            DemoReply { author: "tom_grinds", body: "That matches my experience. The M5 earns its price in straight shots and light roasts." },
            DemoReply { author: "priya_k", body: "Great test. Did you randomise the order of the cups?" },
            DemoReply { author: "emma_brews", body: "Saving this for everyone who asks me which grinder to buy." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    // ───────────── filtro ─────────────
    DemoThread {
        category: "filtro",
        kind: "question",
        author: "hannah_pour",
        title: "Pour-over ratio with the Aurora kettle and a V60: 1:15 or 1:16?",
        body: "I'm brewing 15 g of coffee with 240 g water and it tastes a bit heavy. Should I go to 1:16 or grind coarser?",
        replies: &[
            DemoReply { author: "olivia_beans", body: r#"Go to 1:16 first (15 g → 240 g is exactly that, so you might actually be at 1:16 already!). If it's heavy, grind **coarser** and keep the total brew time around 3:00."# },
            DemoReply { author: "sam_dialin", body: "Also check water temp. I use 94 °C on the Aurora kettle for light roasts, 90 °C for darker ones." },
            DemoReply { author: "hannah_pour", body: "Oops, yes, I was already at 1:16. Coarser grind fixed it, thanks!" },
        ],
        accepted_reply: Some(0),
        official_reply: None,
    },
    DemoThread {
        category: "filtro",
        kind: "discussion",
        author: "nuria_v60",
        title: "Mi receta de V60 con la tetera Aurora a 93 °C",
        body: r#"Mi receta diaria para una taza:

- 15 g de café, molienda media-fina (M2 en `28`).
- Bloom con 45 g de agua, 40 segundos.
- Vertido en espiral hasta 250 g en tres tandas.
- Tiempo total: 2:45–3:00.

La tetera Aurora mantiene los 93 °C perfectos durante todo el vertido."#,
        replies: &[
            DemoReply { author: "elena_r", body: "La he probado con un Kenia y me ha salido riquísimo. ¿Remueves en el bloom?" },
            DemoReply { author: "sofia_lm", body: "Yo hago el bloom con el doble de agua que de café, pero probaré tus 40 segundos." },
            DemoReply { author: "nuria_v60", body: "@elena_r un pequeño giro al V60, sin cuchara, para no remover demasiado." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "filtro",
        kind: "question",
        author: "elena_r",
        title: "¿La tetera Aurora mantiene la temperatura en modo keep warm?",
        body: "Cuando activo el modo de mantener temperatura, a los 20 minutos el agua parece más fría de lo que marca la pantalla. ¿A alguien más le pasa?",
        replies: &[
            DemoReply { author: "nuria_v60", body: "En la mía el modo dura 30 minutos y se mantiene bien, pero si la tapa no cierra del todo pierde calor." },
            DemoReply { author: "elena_r", body: "Revisaré la tapa. Lo dejo abierto por si alguien más lo ha medido con termómetro." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "filtro",
        kind: "discussion",
        author: "noah_steam",
        title: "AeroPress vs. Chemex on a lazy Sunday morning",
        body: "When I'm not in the mood to steam milk I alternate between an inverted AeroPress and a 3-cup Chemex. The Chemex is cleaner, but the AeroPress is almost impossible to mess up. Which camp are you in?",
        replies: &[
            DemoReply { author: "emma_brews", body: "Chemex for guests, AeroPress for me. The thick Chemex filters need a really good rinse though." },
            DemoReply { author: "dan_ristretto", body: "AeroPress, always. Two minutes, one cup, zero drama." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "filtro",
        kind: "question",
        author: "olivia_beans",
        title: "Aurora Smart Scale firmware 1.4 broke the auto-tare. Anyone else?",
        body: "Since updating the Smart Scale to firmware `1.4.0`, auto-tare no longer triggers when I put the V60 on it. The timer still auto-starts. Any fix?",
        replies: &[
            DemoReply { author: "mike_latte", body: "Same thing here. Manual tare works, so I'm using that for now." },
            DemoReply { author: "producto_ana", body: r#"Thanks for the report, @olivia_beans. It's a known bug in `1.4.0`: the auto-tare threshold was set too high for light drippers. Workaround: in the app go to **Scale > Advanced > Auto-tare sensitivity** and set it to *High*. Firmware `1.4.1` with the fix is rolling out next week."# },
            DemoReply { author: "olivia_beans", body: "Sensitivity on High works perfectly. Thanks Ana!" },
        ],
        accepted_reply: Some(1),
        official_reply: None,
    },
    DemoThread {
        category: "filtro",
        kind: "discussion",
        author: "sofia_lm",
        title: "Café de filtro para principiantes: lo que me habría gustado saber",
        body: r#"Tres cosas que tardé meses en aprender: **pesar siempre** el café y el agua, usar agua filtrada y no hervida del todo, y que la molienda importa más que el gotero. Con eso, hasta una Melitta de supermercado hace buen café."#,
        replies: &[],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "filtro",
        kind: "question",
        author: "ines_cafe",
        title: "¿Qué molienda usar para cold brew con el Molino M2?",
        body: "Este verano quiero hacer cold brew en un tarro de litro. ¿En qué punto del M2 lo ponéis y cuántas horas lo dejáis?",
        replies: &[
            DemoReply { author: "carlos_mv", body: "Yo uso el punto más grueso (`40`), 1:8 de ratio y 16 horas en la nevera." },
            DemoReply { author: "nuria_v60", body: "Yo prefiero `36` y 12 horas, me sale menos terroso. Filtra dos veces, la segunda con papel." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    // ───────────── soporte ─────────────
    DemoThread {
        category: "soporte",
        kind: "question",
        author: "carlos_mv",
        title: "Cambiar la junta del grupo de la Aurora Uno: ¿qué referencia pido?",
        body: "El agua se escapa por el borde del portafiltro al extraer. Creo que es la junta del grupo, pero en la tienda hay dos de 58 mm y no sé cuál es la de la Uno.",
        replies: &[
            DemoReply { author: "andres_crema", body: r#"La de la Uno es la `AU-GK-58-8` (8 mm de grosor). La de 8,5 mm es para la Pro. Para cambiarla: quita la ducha con un destornillador, saca la vieja con un punzón y mete la nueva con el portafiltro, **sin café**, apretando poco a poco."# },
            DemoReply { author: "carlos_mv", body: "Cambiada en 15 minutos y ya no gotea. ¡Mil gracias, @andres_crema!" },
        ],
        accepted_reply: Some(0),
        official_reply: None,
    },
    DemoThread {
        category: "soporte",
        kind: "question",
        author: "mike_latte",
        title: "Aurora Duo showing error E04 after descaling",
        body: "I ran the descaling cycle yesterday and now the display shows `E04` and the pump won't start. I've already turned it off and on again.",
        replies: &[
            DemoReply { author: "noah_steam", body: "Did you refill the tank with fresh water after the descaler? Mine threw an error once because the tank was nearly empty." },
            DemoReply { author: "soporte_luis", body: r#"`E04` means the flowmeter isn't registering water, usually because of descaler residue or an air bubble after the cycle. Please:

1. Fill the tank with fresh water.
2. Open the hot water tap and hold the power button for 5 s to force a rinse.
3. Let it run until clean water comes out (about 300 ml).

If it still shows `E04`, open a ticket and we'll arrange a repair."# },
            DemoReply { author: "mike_latte", body: "Step 2 did it, an air bubble came out and the error is gone. Thanks Luis!" },
        ],
        accepted_reply: Some(1),
        official_reply: None,
    },
    DemoThread {
        category: "soporte",
        kind: "discussion",
        author: "greta_k",
        title: "Spare parts kit every Aurora owner should keep in a drawer",
        body: r#"After two years with an Aurora Duo, this is what I keep at home:

- A spare group gasket and shower screen.
- A blind basket for backflushing.
- Espresso machine cleaning tablets and citric-acid descaler.
- The little O-ring for the steam wand tip.

None of it is expensive, and it saves a week without coffee."#,
        replies: &[
            DemoReply { author: "tom_grinds", body: "I'd add a grinder brush and a spare portafilter spring clip. Lost mine down the sink once." },
            DemoReply { author: "priya_k", body: "Great list. Is the shower screen the same for the Duo and the Pro?" },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "soporte",
        kind: "question",
        author: "elena_r",
        title: "La bomba de la Aurora Uno vibra mucho y hace ruido",
        body: "De repente la bomba suena el doble de fuerte y la máquina vibra sobre la encimera. El café sale bien, pero me preocupa que se rompa.",
        replies: &[
            DemoReply { author: "pablo_tostado", body: "Mira si el depósito está bien encajado; si entra aire, la bomba vibratoria hace mucho más ruido. Si no es eso, yo abriría ticket." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "soporte",
        kind: "question",
        author: "sofia_lm",
        title: "Mi pedido de la Aurora Duo lleva 9 días en preparando envío",
        body: "Pedí la Duo hace nueve días y el estado sigue en *preparando envío*. Nadie me contesta al correo. ¿Hay retrasos conocidos?",
        replies: &[
            DemoReply { author: "marta_cm", body: "@sofia_lm siento la espera. Hubo un retraso en el almacén de Valencia la semana pasada; te escribo por mensaje privado para revisar tu pedido." },
            DemoReply { author: "sofia_lm", body: "Gracias, Marta. Ya me ha llegado el número de seguimiento." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    // ───────────── garantia ─────────────
    DemoThread {
        category: "garantia",
        kind: "question",
        author: "ines_cafe",
        title: "¿Cubre la garantía una caldera dañada por la cal?",
        body: r#"Mi Aurora Duo tiene 18 meses y el servicio técnico dice que la caldera de vapor está llena de cal. Me han dicho que eso **no entra en garantía**. Uso agua del grifo de Madrid y descalcifico *cuando me acuerdo*. ¿Es así de verdad?"#,
        replies: &[
            DemoReply { author: "lucia_barista", body: "Me temo que la cal suele considerarse falta de mantenimiento en casi todas las marcas. Pero pregunta, a veces hacen excepciones." },
            DemoReply { author: "soporte_luis", body: r#"Hola, @ines_cafe. La posición de Cafetera Aurora es esta: los daños por cal **no están cubiertos** cuando no se ha seguido el plan de descalcificación, pero si la máquina registra ciclos de descalcificación en el historial (lo vemos en el diagnóstico), sí la cubrimos. En tu caso, como excepción, reparamos la caldera pagando solo la mano de obra. Para que no vuelva a pasar, este es el plan recomendado:

```
Dureza del agua     Descalcificación   Filtro en depósito
< 8 °dH (blanda)    cada 3 meses       opcional
8-14 °dH (media)    cada 6-8 semanas   recomendado
> 14 °dH (dura)     cada 4 semanas     obligatorio
```

Madrid tiene agua blanda, pero con dos calderas conviene no pasar de 3 meses."# },
            DemoReply { author: "ines_cafe", body: "Muchas gracias, Luis. Me parece justo. Ya he configurado el recordatorio en la app." },
            DemoReply { author: "marta_cm", body: "He añadido la tabla de @soporte_luis a las preguntas frecuentes de soporte para que esté a mano." },
        ],
        accepted_reply: Some(1),
        official_reply: Some(1),
    },
    DemoThread {
        category: "garantia",
        kind: "question",
        author: "dan_ristretto",
        title: "How long does a warranty claim take? Sent my Aurora Pro three weeks ago",
        body: "My Pro went back for a faulty PID display three weeks ago and I haven't heard anything since the pickup confirmation. What's the usual turnaround?",
        replies: &[
            DemoReply { author: "marta_cm", body: "Hi @dan_ristretto, the usual turnaround is 10–15 working days, but Pro repairs from Ireland have been slower because of the customs issue. I'll chase it with the repair centre and message you." },
            DemoReply { author: "dan_ristretto", body: "Update: got an email today, it ships back tomorrow. Leaving this here for anyone wondering about Irish timelines." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "garantia",
        kind: "discussion",
        author: "pablo_tostado",
        title: "Mi experiencia con la garantía: Molino M2 reparado en 10 días",
        body: r#"Para quien tenga dudas: mandé el M2 por el chirrido de las muelas y volvió en **10 días** con el motor y las muelas nuevas, sin coste. Solo pidieron la factura y fotos del número de serie."#,
        replies: &[
            DemoReply { author: "raul_espresso", body: "Buenas noticias. Así da gusto, la verdad." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "garantia",
        kind: "question",
        author: "priya_k",
        title: "Is the warranty still valid if I bought my Molino M5 second-hand?",
        body: "I'm looking at a used M5 that's eight months old. Does the remaining warranty transfer to me, or is it tied to the original buyer?",
        replies: &[
            DemoReply { author: "sam_dialin", body: "I bought a used Duo and they asked for the original invoice, nothing else. Make sure the seller gives it to you." },
            DemoReply { author: "marta_cm", body: r#"Correct: the warranty belongs to the **product**, not the buyer. With the original invoice and the serial number, the remaining months are fully valid for you."# },
        ],
        accepted_reply: Some(1),
        official_reply: None,
    },
    // ───────────── ideas ─────────────
    DemoThread {
        category: "ideas",
        kind: "discussion",
        author: "raul_espresso",
        title: "Idea: perfiles de presión programables en la Aurora Pro",
        body: "Ya que la Pro tiene válvula proporcional, estaría genial poder guardar perfiles de presión desde la app: por ejemplo, 3 bar de preinfusión, subir a 9 bar y bajar a 6 bar al final. ¿Alguien más lo usaría?",
        replies: &[
            DemoReply { author: "producto_ana", body: "¡Lo tenemos apuntado! Es de lo más votado, y el hardware lo permite. No puedo dar fechas, pero estamos en ello." },
            DemoReply { author: "andres_crema", body: "Lo usaría cada día. Con tuestes claros el declive de presión al final marca la diferencia." },
            DemoReply { author: "carlos_mv", body: "+1, aunque que sea opcional. No quiero complicarme cada mañana." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "ideas",
        kind: "discussion",
        author: "hannah_pour",
        title: "Feature request: live flow-rate readout in the Smart Scale app",
        body: "The Smart Scale already measures weight over time, so showing flow rate in g/s during the pour would be easy and really useful for pour-over. Bonus points for an overlay of your previous brew.",
        replies: &[
            DemoReply { author: "sam_dialin", body: "Yes please! And export of the brew curve as CSV." },
            DemoReply { author: "producto_ana", body: "Good idea, @hannah_pour. Flow rate is already computed internally, so it's a matter of UI. I've added it to the app backlog." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "ideas",
        kind: "discussion",
        author: "lucia_barista",
        title: "Que la tetera Aurora tenga un preset de 80 °C para té verde",
        body: "La tetera tiene presets de 90, 93 y 96 °C, pensados para café. En casa también tomamos té verde y tengo que ir ajustando a mano cada vez.",
        replies: &[
            DemoReply { author: "elena_r", body: "¡Sí! Y uno de 70 °C para el matcha." },
            DemoReply { author: "nuria_v60", body: "O que los presets sean configurables desde la app, así cada uno pone los suyos." },
            DemoReply { author: "mod_jorge", body: r#"He unido aquí el hilo duplicado *Presets de temperatura para té*. Como decía allí un usuario:

> Con presets configurables la tetera serviría para todo el mundo, no solo para cafeteros."# },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "ideas",
        kind: "discussion",
        author: "tom_grinds",
        title: "Please sell the Molino M5 burrs separately",
        body: "Right now replacement burrs only come as part of a full repair. I'd happily swap them myself after a couple of years of daily use.",
        replies: &[
            DemoReply { author: "greta_k", body: "Agreed. And maybe offer an alternative burr set for filter coffee?" },
            DemoReply { author: "dan_ristretto", body: "The M2 burrs are sold separately already, so it seems doable." },
            DemoReply { author: "priya_k", body: "+1 for the filter burrs, that would make the M5 a true all-rounder." },
            DemoReply { author: "producto_ana", body: "Noted! Spare M5 burrs should be in the shop this autumn. Alternative burr geometries are still being tested." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    // ───────────── charla ─────────────
    DemoThread {
        category: "charla",
        kind: "discussion",
        author: "andres_crema",
        title: "¿Qué café estáis tomando esta semana?",
        body: "Yo estoy con un Guatemala lavado de un tostador de Bilbao: chocolate con leche y algo de naranja. ¿Y vosotros?",
        replies: &[
            DemoReply { author: "sofia_lm", body: "Un Brasil natural, muy de chocolate. Perfecto para cortados." },
            DemoReply { author: "pablo_tostado", body: "Estoy tostando en casa un Etiopía Guji, en la Duo sale a arándanos." },
            DemoReply { author: "ines_cafe", body: "Descafeinado de Colombia por las tardes. Sorprendentemente bueno." },
            DemoReply { author: "javi_moka", body: "En la moka, un blend de la tienda del barrio. Los clásicos nunca fallan." },
            DemoReply { author: "lucia_barista", body: "Un Kenia AA para filtro, pura grosella. 🍇" },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "charla",
        kind: "discussion",
        author: "emma_brews",
        title: "Best local roasters you've discovered this year?",
        body: "Let's make a list! Mention your city and one roaster you love (no shops posting their own stuff, please).",
        replies: &[
            DemoReply { author: "olivia_beans", body: "Bristol: a tiny place near the harbour doing amazing washed Rwandans." },
            DemoReply { author: "noah_steam", body: "Leeds: the one under the railway arches. Their espresso blend is great in milk." },
            DemoReply { author: "hannah_pour", body: "Berlin: too many to count, but the Kreuzberg light-roast crowd is dangerous for my wallet." },
            DemoReply { author: "mike_latte", body: "Vancouver: anywhere on Main Street, honestly." },
            DemoReply { author: "greta_k", body: "Kraków has a booming scene, loving the Polish roasters lately." },
            DemoReply { author: "tom_grinds", body: "Manchester, Northern Quarter. Great decafs too." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "charla",
        kind: "discussion",
        author: "sofia_lm",
        title: "Viaje a Colombia: visité una finca cafetera en el Huila",
        body: "Pasé tres días en una finca pequeña cerca de Pitalito. Ver la recolección a mano y el secado en camas africanas te cambia la forma de mirar cada taza. Me traje 2 kg de un Pink Bourbon que estoy cuidando como oro.",
        replies: &[
            DemoReply { author: "raul_espresso", body: "¡Qué envidia! El Pink Bourbon en espresso es una locura, cuéntanos qué ratio usas." },
            DemoReply { author: "elena_r", body: "Qué bonito. ¿Fuiste por tu cuenta o con alguna ruta organizada?" },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "charla",
        kind: "discussion",
        author: "noah_steam",
        title: "Latte art progress thread: week 6 and my tulips still look like blobs",
        body: "Six weeks of practising on the Aurora Uno and I can do a decent heart, but tulips come out as a stack of potatoes. Post your progress, good or bad! 🥔",
        replies: &[
            DemoReply { author: "mike_latte", body: "Slow down the first push and lift the jug higher between layers. Took me two months." },
            DemoReply { author: "emma_brews", body: "Potato tulips are a rite of passage. Keep going!" },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "charla",
        kind: "discussion",
        author: "mod_jorge",
        title: "Recordatorio para charla: nada de spam de tiendas ni enlaces de afiliados",
        body: r#"Charla es para hablar de café con libertad, pero **no se permite publicidad** de tiendas ni enlaces de afiliados. Si tenéis dudas sobre si algo es spam, preguntadme antes o consultad las normas en https://example.com/normas."#,
        replies: &[],
        accepted_reply: None,
        official_reply: None,
    },
    // ───────────── club-aurora (members) ─────────────
    DemoThread {
        category: "club-aurora",
        kind: "discussion",
        author: "marta_cm",
        title: "Club Aurora: cata virtual de mayo con tres cafés de Etiopía",
        body: r#"Este mes los miembros del club recibiréis una caja con tres cafés etíopes de 100 g. Haremos la cata en directo el jueves 23 a las 19:00, con @producto_ana y un tostador invitado. Apuntaos en https://example.com/club/cata-mayo."#,
        replies: &[
            DemoReply { author: "lucia_barista", body: "¡Apuntada! ¿Los catamos en filtro o en espresso?" },
            DemoReply { author: "nuria_v60", body: "Yo los haré en V60 seguro. Qué ganas." },
            DemoReply { author: "raul_espresso", body: "Espresso y filtro, que para eso son 100 g. 😄" },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "club-aurora",
        kind: "discussion",
        author: "olivia_beans",
        title: "Members' swap: spare Aurora Uno portafilter for a bottomless one",
        body: "I've got a spotless spouted portafilter from my old Aurora Uno (58 mm, fits the Duo too). Looking to swap for a bottomless one. UK only, I'll cover postage.",
        replies: &[
            DemoReply { author: "sam_dialin", body: "I might have a bottomless one sitting unused. DM'd you!" },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    // ───────────── equipo (private, staff) ─────────────
    DemoThread {
        category: "equipo",
        kind: "discussion",
        author: "marta_cm",
        title: "Resumen semanal de la comunidad: temas calientes",
        body: r#"Resumen de la semana:

- **Firmware 1.4.0 de la báscula**: varios avisos del auto-tara, @producto_ana ya lo tiene.
- **Retrasos M5 en Reino Unido**: muchas preguntas, conviene fijar el anuncio otra semana.
- **Cal en calderas**: tercer hilo este mes, @soporte_luis ¿preparamos una respuesta estándar?"#,
        replies: &[
            DemoReply { author: "soporte_luis", body: "Sí, abro hilo aparte con una plantilla para las reclamaciones por cal." },
            DemoReply { author: "producto_ana", body: "La `1.4.1` sale el martes. Os aviso para cerrar los hilos con la solución." },
            DemoReply { author: "mod_jorge", body: "Fijo el anuncio de envíos una semana más. Esta semana he borrado dos mensajes de spam en charla." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
    DemoThread {
        category: "equipo",
        kind: "discussion",
        author: "soporte_luis",
        title: "Plantilla de respuesta para reclamaciones por cal",
        body: r#"Propuesta de texto para reclamaciones de garantía por cal:

> Los daños por cal no están cubiertos si no se ha seguido el plan de descalcificación. Si el historial de la máquina muestra ciclos regulares, la reparación está cubierta.

Añadiríamos siempre la tabla de dureza del agua y un enlace al filtro del depósito. ¿Comentarios?"#,
        replies: &[
            DemoReply { author: "marta_cm", body: "Me gusta. Añadiría una frase más empática al principio, tipo *sentimos el problema con tu máquina*. El resto, perfecto." },
        ],
        accepted_reply: None,
        official_reply: None,
    },
];

/// Short lines members post in the megathread "Show your coffee corner / Enseña tu rincón de café"; the seeder combines them.
pub const MEGATHREAD_LINES: &[&str] = &[
    "My Aurora Duo next to a window, morning light ☀️",
    "Mi Aurora Uno en la encimera, junto a la planta de albahaca 🌿",
    "Tiny flat, tiny corner: Aurora Uno + Molino M2 on a bread board.",
    "Rincón nuevo: estantería de roble, Aurora Pro y tres tarros de café.",
    "Finally mounted a knock box under the counter. Game changer.",
    "La tetera Aurora y el V60 siempre listos para el café de la tarde.",
    "Aurora Pro, Molino M5 and a very judgemental cat 🐈",
    "Mi rincón en la oficina: la Duo compartida con cuatro compañeros.",
    "Cups on hooks, beans in the fridge door... wait, no, NOT the fridge 😅",
    "Azulejos de Talavera detrás de la máquina. Mi madre los eligió.",
    "Pegboard wall with every tool I own: WDT, tamper, puck screens.",
    "Rincón de café en la terraza para los domingos de verano.",
    "Espresso station built from an old sewing table.",
    "La Aurora Duo, una moka de mi abuela y un molinillo manual de recuerdo.",
    "Smart Scale, kettle and V60 in a row: my pour-over altar.",
    "Bandeja de mármol para que no se manche la madera. Aprendido a las malas.",
    "Motorhome coffee corner: Aurora Uno on an inverter, somewhere in Scotland 🚐",
    "Luz cálida por la noche, descafeinado y un libro. Perfecto.",
    "Matching white Aurora Duo and Molino M2. Wife says it looks like a hospital. I love it.",
    "Mi primera Aurora: la Uno de segunda mano, funcionando como el primer día.",
    "Dual setup: Molino M5 for espresso, M2 dialed in for filter.",
    "Cajón de accesorios ordenado por colores. Sí, tengo un problema.",
    "Chalkboard with this week's beans above the machine.",
    "En el pueblo: Aurora Uno junto a la chimenea, café con vistas a la sierra.",
    "Puck-knocking drawer I made from a wine crate 🍷",
    "Cafetera, tazas de cerámica hechas por mi hermana y un cactus.",
    "Small balcony, big coffee energy.",
    "Rincón minimalista: solo la Aurora Pro, el M5 y una taza.",
    "Kids' drawing of 'Dad's coffee robot' taped above the Duo.",
    "Foto de la leche texturizada antes de mi primer corazón decente ❤️",
    "Moved the machine next to the sink. Refilling the tank is now 10 seconds.",
    "Estante flotante con los tarros de café etiquetados por fecha de tueste.",
    "My desk corner for WFH days: Aurora kettle + AeroPress.",
    "La Duo lleva tres años en mi cafetería de barrio y sigue como nueva.",
    "Recessed outlet so the cables don't show. Worth the electrician.",
    "Rincón de café compartido del piso: normas pegadas en la pared incluidas.",
    "Walnut tamper station I turned on a lathe this winter.",
    "Amanecer, Aurora Duo y un cortado antes de que se despierte nadie.",
    "Left: old drip machine (retired). Right: Aurora Uno (hired).",
    "Mi gato durmiendo al lado de la máquina porque está calentita 😺",
];
