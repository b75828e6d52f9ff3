-- The ceiling endpoint of `tertulia bench` (/bench/fortunes, only served in bench mode) reads
-- these rows, adds one, sorts, escapes and renders them.
CREATE TABLE fortunes (
    id BIGINT PRIMARY KEY,
    message TEXT NOT NULL
);
INSERT INTO fortunes (id, message) VALUES
(1, 'A good grinder matters more than a good machine.'),
(2, 'Descale before the machine reminds you.'),
(3, 'Fresh beans forgive many sins.'),
(4, '<script>alert("the template escapes this");</script>'),
(5, 'Tamp level, not hard.'),
(6, 'A crema that fades fast hints at stale beans.'),
(7, 'Pour-over: the kettle is the instrument.'),
(8, 'Cold milk, cold jug, warm friends.'),
(9, 'Channeling is a distribution problem.'),
(10, 'Taste first, measure second, argue third.'),
(11, 'フォーチュン: コーヒーは人生です。'),
(12, 'Every ristretto is a small decision.');
