"""The demo curriculum and accounts that ``manage.py seed_demo`` loads.

Chapters are keyed by id and questions by quiz_id: keep both stable once
published, since answers refer to them. A question's wording may be corrected
here; seed_demo brings existing databases up to date.
"""

# Public on purpose: seed_demo prints it, and the README may too. Never use it for a real account.
DEMO_PASSWORD = "learn-quest-demo"  # noqa: S105

DEMO_STUDENT = {"email": "student@example.com", "name": "Maya Lopez", "grade_level": 5}
DEMO_PARENT = {"email": "parent@example.com", "name": "Ana Lopez", "phone": None}
DEMO_STAFF = {"email": "staff@example.com"}

CHAPTERS = [
    # --- Math -------------------------------------------------------------------
    {
        "id": "math-place-value",
        "subject": "Math",
        "order": 1,
        "name": "Place Value",
        "description": "Ones, tens, hundreds and thousands: what each digit in a big number is worth.",
        "is_locked": False,
        "unlock_xp_required": 0,
        "questions": [
            {
                "quiz_id": "math-place-value-01",
                "difficulty_level": "easy",
                "question_text": "In the number 4,582, what is the value of the digit 5?",
                "options": ["5", "50", "500", "5,000"],
                "correct_answer_index": 2,
                "explanation": "The 5 is in the hundreds place, so it is worth 5 hundreds, which is 500.",
            },
            {
                "quiz_id": "math-place-value-02",
                "difficulty_level": "easy",
                "question_text": "Which number has 3 thousands, 2 hundreds, 0 tens and 7 ones?",
                "options": ["3,207", "3,270", "32,007", "327"],
                "correct_answer_index": 0,
                "explanation": "Write each digit in its place: 3 thousands, 2 hundreds, 0 tens and 7 ones make 3,207. "
                "The 0 keeps the tens place empty.",
            },
            {
                "quiz_id": "math-place-value-03",
                "difficulty_level": "easy",
                "question_text": "How do you write 25,016 in words?",
                "options": [
                    "Twenty-five thousand sixteen",
                    "Twenty-five thousand one hundred sixty",
                    "Two thousand five hundred sixteen",
                    "Twenty-five thousand six",
                ],
                "correct_answer_index": 0,
                "explanation": "25 is the number of thousands, and 016 means no hundreds and sixteen more, "
                "so it is twenty-five thousand sixteen.",
            },
            {
                "quiz_id": "math-place-value-04",
                "difficulty_level": "medium",
                "question_text": "What is 6,849 rounded to the nearest hundred?",
                "options": ["6,800", "6,850", "6,900", "7,000"],
                "correct_answer_index": 0,
                "explanation": "Look at the tens digit: it is 4, which is less than 5, so round down to 6,800.",
            },
            {
                "quiz_id": "math-place-value-05",
                "difficulty_level": "medium",
                "question_text": "Which number is the greatest?",
                "options": ["9,099", "9,909", "9,990", "9,900"],
                "correct_answer_index": 2,
                "explanation": "Compare digit by digit from the left. Three numbers have 9 thousands and 9 hundreds; "
                "of those, 9,990 has the most tens.",
            },
            {
                "quiz_id": "math-place-value-06",
                "difficulty_level": "medium",
                "question_text": "What is 10 times 340?",
                "options": ["3,400", "34,000", "350", "3,040"],
                "correct_answer_index": 0,
                "explanation": "Multiplying by 10 moves every digit one place to the left, so 340 becomes 3,400.",
            },
            {
                "quiz_id": "math-place-value-07",
                "difficulty_level": "medium",
                "question_text": "Which number has a 6 in the ten-thousands place?",
                "options": ["16,402", "61,402", "46,102", "1,640"],
                "correct_answer_index": 1,
                "explanation": "In 61,402 the 6 is the fifth digit from the right, the ten-thousands place, "
                "so it is worth 60,000.",
            },
            {
                "quiz_id": "math-place-value-08",
                "difficulty_level": "hard",
                "question_text": "What is 47,351 rounded to the nearest thousand?",
                "options": ["47,000", "47,400", "48,000", "50,000"],
                "correct_answer_index": 0,
                "explanation": "Look at the hundreds digit: it is 3, which is less than 5, so round down to 47,000.",
            },
            {
                "quiz_id": "math-place-value-09",
                "difficulty_level": "hard",
                "question_text": "The 7 in 70,000 is worth how many times as much as the 7 in 700?",
                "options": ["10", "100", "1,000", "7"],
                "correct_answer_index": 1,
                "explanation": "Each place to the left is worth ten times more. The 7 moved two places, "
                "so it is worth 10 × 10 = 100 times as much: 70,000 ÷ 700 = 100.",
            },
            {
                "quiz_id": "math-place-value-10",
                "difficulty_level": "hard",
                "question_text": "What is the smallest 4-digit number you can make with the digits 0, 3, 5 and 8, "
                "using each digit once?",
                "options": ["0,358", "3,058", "3,508", "5,038"],
                "correct_answer_index": 1,
                "explanation": "A 4-digit number cannot start with 0, so start with the smallest other digit, 3, "
                "then put the rest in order: 3,058.",
            },
        ],
    },
    {
        "id": "math-fractions",
        "subject": "Math",
        "order": 2,
        "name": "Fractions",
        "description": "Parts of a whole: equal fractions, comparing, adding and subtracting.",
        "is_locked": True,
        "unlock_xp_required": 50,
        "questions": [
            {
                "quiz_id": "math-fractions-01",
                "difficulty_level": "easy",
                "question_text": "A pizza is cut into 8 equal slices. You eat 3 of them. "
                "What fraction of the pizza did you eat?",
                "options": ["3/8", "3/5", "5/8", "8/3"],
                "correct_answer_index": 0,
                "explanation": "The pizza has 8 equal parts and you ate 3 of them, so you ate 3/8 of it.",
            },
            {
                "quiz_id": "math-fractions-02",
                "difficulty_level": "easy",
                "question_text": "Which fraction is equal to 1/2?",
                "options": ["2/3", "3/6", "1/4", "2/5"],
                "correct_answer_index": 1,
                "explanation": "3 is half of 6, so 3/6 is the same amount as 1/2.",
            },
            {
                "quiz_id": "math-fractions-03",
                "difficulty_level": "easy",
                "question_text": "Which is bigger: 1/3 or 1/5?",
                "options": ["1/3", "1/5", "They are equal", "You cannot tell"],
                "correct_answer_index": 0,
                "explanation": "Cutting a whole into fewer parts makes each part bigger, so one third is bigger "
                "than one fifth.",
            },
            {
                "quiz_id": "math-fractions-04",
                "difficulty_level": "medium",
                "question_text": "What is 2/7 + 3/7?",
                "options": ["5/14", "5/7", "6/7", "1/7"],
                "correct_answer_index": 1,
                "explanation": "The denominators are the same, so add the numerators: 2 sevenths + 3 sevenths "
                "= 5 sevenths. The denominator stays 7.",
            },
            {
                "quiz_id": "math-fractions-05",
                "difficulty_level": "medium",
                "question_text": "What is 3/4 − 1/4?",
                "options": ["1/2", "2/8", "1", "3/16"],
                "correct_answer_index": 0,
                "explanation": "3 quarters take away 1 quarter leaves 2 quarters, and 2/4 is the same as 1/2.",
            },
            {
                "quiz_id": "math-fractions-06",
                "difficulty_level": "medium",
                "question_text": "What is 6/9 in simplest form?",
                "options": ["2/3", "3/6", "1/3", "It is already in simplest form"],
                "correct_answer_index": 0,
                "explanation": "Divide the top and the bottom by 3, the biggest number that divides both: "
                "6 ÷ 3 = 2 and 9 ÷ 3 = 3, so 6/9 = 2/3.",
            },
            {
                "quiz_id": "math-fractions-07",
                "difficulty_level": "medium",
                "question_text": "What is 1/4 of 20?",
                "options": ["4", "5", "10", "80"],
                "correct_answer_index": 1,
                "explanation": "To find a quarter, share 20 into 4 equal groups: 20 ÷ 4 = 5.",
            },
            {
                "quiz_id": "math-fractions-08",
                "difficulty_level": "hard",
                "question_text": "What is 1/2 + 1/3?",
                "options": ["2/5", "1/6", "5/6", "2/6"],
                "correct_answer_index": 2,
                "explanation": "First give both fractions the same denominator, 6: 1/2 = 3/6 and 1/3 = 2/6. "
                "Then 3/6 + 2/6 = 5/6.",
            },
            {
                "quiz_id": "math-fractions-09",
                "difficulty_level": "hard",
                "question_text": "Which improper fraction is the same as the mixed number 2 1/3?",
                "options": ["7/3", "5/3", "6/3", "21/3"],
                "correct_answer_index": 0,
                "explanation": "2 wholes are 6 thirds. Add the extra 1 third to get 7 thirds, which is 7/3.",
            },
            {
                "quiz_id": "math-fractions-10",
                "difficulty_level": "hard",
                "question_text": "Which list puts 3/4, 2/3 and 5/8 in order from smallest to largest?",
                "options": ["5/8, 2/3, 3/4", "2/3, 5/8, 3/4", "3/4, 2/3, 5/8", "5/8, 3/4, 2/3"],
                "correct_answer_index": 0,
                "explanation": "Write them all in twenty-fourths: 5/8 = 15/24, 2/3 = 16/24 and 3/4 = 18/24. "
                "Now compare the numerators.",
            },
        ],
    },
    {
        "id": "math-geometry",
        "subject": "Math",
        "order": 3,
        "name": "Shapes and Angles",
        "description": "Polygons, kinds of angles, perimeter, area and symmetry.",
        "is_locked": True,
        "unlock_xp_required": 150,
        "questions": [
            {
                "quiz_id": "math-geometry-01",
                "difficulty_level": "easy",
                "question_text": "How many sides does a hexagon have?",
                "options": ["5", "6", "7", "8"],
                "correct_answer_index": 1,
                "explanation": "'Hex' means six: a hexagon has 6 sides and 6 corners, like a honeycomb cell.",
            },
            {
                "quiz_id": "math-geometry-02",
                "difficulty_level": "easy",
                "question_text": "What do we call an angle of exactly 90°?",
                "options": ["An acute angle", "A right angle", "An obtuse angle", "A straight angle"],
                "correct_answer_index": 1,
                "explanation": "A right angle measures exactly 90°, like the corner of a sheet of paper.",
            },
            {
                "quiz_id": "math-geometry-03",
                "difficulty_level": "easy",
                "question_text": "Which shape always has 4 equal sides and 4 right angles?",
                "options": ["Rectangle", "Rhombus", "Square", "Trapezoid"],
                "correct_answer_index": 2,
                "explanation": "A square has four equal sides and four right angles. A rhombus also has equal "
                "sides, but its angles do not have to be right angles.",
            },
            {
                "quiz_id": "math-geometry-04",
                "difficulty_level": "medium",
                "question_text": "What is the perimeter of a rectangle that is 7 cm long and 3 cm wide?",
                "options": ["10 cm", "20 cm", "21 cm", "24 cm"],
                "correct_answer_index": 1,
                "explanation": "The perimeter is the distance all the way around: 7 + 3 + 7 + 3 = 20 cm.",
            },
            {
                "quiz_id": "math-geometry-05",
                "difficulty_level": "medium",
                "question_text": "What is the area of a rectangle that is 6 m long and 4 m wide?",
                "options": ["10 square meters", "20 square meters", "24 square meters", "28 square meters"],
                "correct_answer_index": 2,
                "explanation": "The area of a rectangle is length × width: 6 × 4 = 24 square meters.",
            },
            {
                "quiz_id": "math-geometry-06",
                "difficulty_level": "medium",
                "question_text": "An angle measures 130°. What kind of angle is it?",
                "options": ["Acute", "Right", "Obtuse", "Straight"],
                "correct_answer_index": 2,
                "explanation": "An obtuse angle is bigger than 90° but smaller than 180°, and 130° is in between.",
            },
            {
                "quiz_id": "math-geometry-07",
                "difficulty_level": "hard",
                "question_text": "Two angles of a triangle measure 50° and 60°. What does the third angle measure?",
                "options": ["60°", "70°", "80°", "90°"],
                "correct_answer_index": 1,
                "explanation": "The three angles of a triangle always add up to 180°, so the third one is "
                "180° − 50° − 60° = 70°.",
            },
            {
                "quiz_id": "math-geometry-08",
                "difficulty_level": "hard",
                "question_text": "How many lines of symmetry does a square have?",
                "options": ["1", "2", "4", "8"],
                "correct_answer_index": 2,
                "explanation": "A square folds exactly in half 4 ways: across the middle in both directions "
                "and along both diagonals.",
            },
            {
                "quiz_id": "math-geometry-09",
                "difficulty_level": "hard",
                "question_text": "A square has a perimeter of 36 cm. What is its area?",
                "options": ["36 square cm", "81 square cm", "9 square cm", "144 square cm"],
                "correct_answer_index": 1,
                "explanation": "Its 4 equal sides are each 36 ÷ 4 = 9 cm long, so its area is 9 × 9 = 81 square cm.",
            },
        ],
    },
    # --- Science ----------------------------------------------------------------
    {
        "id": "science-plants",
        "subject": "Science",
        "order": 1,
        "name": "How Plants Grow",
        "description": "What plants need, what their parts do, and how they make food from sunlight.",
        "is_locked": False,
        "unlock_xp_required": 0,
        "questions": [
            {
                "quiz_id": "science-plants-01",
                "difficulty_level": "easy",
                "question_text": "What do plants need to make their own food?",
                "options": ["Sunlight, water and air", "Only soil", "Only water", "Darkness and sugar"],
                "correct_answer_index": 0,
                "explanation": "Plants use the energy of sunlight to turn water and carbon dioxide from the air "
                "into sugar, their food.",
            },
            {
                "quiz_id": "science-plants-02",
                "difficulty_level": "easy",
                "question_text": "Which part of a plant takes in water from the soil?",
                "options": ["The leaves", "The roots", "The flowers", "The seeds"],
                "correct_answer_index": 1,
                "explanation": "Roots grow down into the soil and soak up water and minerals. "
                "They also hold the plant in place.",
            },
            {
                "quiz_id": "science-plants-03",
                "difficulty_level": "easy",
                "question_text": "What is the name of the process plants use to make food from sunlight?",
                "options": ["Photosynthesis", "Evaporation", "Digestion", "Pollination"],
                "correct_answer_index": 0,
                "explanation": "'Photo' means light and 'synthesis' means putting together: "
                "plants put together food using light.",
            },
            {
                "quiz_id": "science-plants-04",
                "difficulty_level": "medium",
                "question_text": "Which gas do plants take in from the air to make their food?",
                "options": ["Oxygen", "Carbon dioxide", "Nitrogen", "Helium"],
                "correct_answer_index": 1,
                "explanation": "Plants take in carbon dioxide through tiny holes in their leaves, "
                "and give out the oxygen that we breathe.",
            },
            {
                "quiz_id": "science-plants-05",
                "difficulty_level": "medium",
                "question_text": "What gives leaves their green color?",
                "options": ["Chlorophyll", "Water", "Soil", "Pollen"],
                "correct_answer_index": 0,
                "explanation": "Chlorophyll is a green substance inside leaves that catches the energy of sunlight.",
            },
            {
                "quiz_id": "science-plants-06",
                "difficulty_level": "medium",
                "question_text": "How do bees help flowers when they visit them?",
                "options": [
                    "They carry pollen from flower to flower",
                    "They water the flowers",
                    "They eat the pests on the leaves",
                    "They keep the flowers warm",
                ],
                "correct_answer_index": 0,
                "explanation": "Pollen sticks to a bee while it drinks nectar, and the bee carries it to the next "
                "flower. This pollination helps the plant make seeds.",
            },
            {
                "quiz_id": "science-plants-07",
                "difficulty_level": "medium",
                "question_text": "What does a seed need to start growing?",
                "options": ["Water, warmth and air", "Bright light only", "Salt", "Cold and darkness"],
                "correct_answer_index": 0,
                "explanation": "Most seeds sprout when they have water, warmth and air. A seed carries its own "
                "food, so it needs light only once its first leaves appear.",
            },
            {
                "quiz_id": "science-plants-08",
                "difficulty_level": "hard",
                "question_text": "What are the two main jobs of a plant's stem?",
                "options": [
                    "To hold the plant up and carry water and food through it",
                    "To make seeds and attract insects",
                    "To take in water from the soil and store it",
                    "To make food and give out oxygen",
                ],
                "correct_answer_index": 0,
                "explanation": "The stem holds the leaves up toward the light. Tiny tubes inside it carry water "
                "up from the roots and food to every part of the plant.",
            },
            {
                "quiz_id": "science-plants-09",
                "difficulty_level": "hard",
                "question_text": "A plant on a windowsill bends toward the window. Why?",
                "options": [
                    "It grows toward the light",
                    "It is looking for water",
                    "The wind pushes it",
                    "It is too heavy to stand up",
                ],
                "correct_answer_index": 0,
                "explanation": "Plants grow toward light so that their leaves catch more sunlight "
                "for making food. This is called phototropism.",
            },
            {
                "quiz_id": "science-plants-10",
                "difficulty_level": "hard",
                "question_text": "How are dandelion seeds spread to new places?",
                "options": [
                    "By the wind",
                    "By floating down rivers",
                    "By animals eating their fruit",
                    "By their pods bursting open",
                ],
                "correct_answer_index": 0,
                "explanation": "Each dandelion seed has a fluffy parachute that lets the wind carry it far "
                "from the parent plant.",
            },
        ],
    },
    {
        "id": "science-solar-system",
        "subject": "Science",
        "order": 2,
        "name": "The Solar System",
        "description": "The Sun, the planets and the Moon: why we have days, years and moon phases.",
        "is_locked": True,
        "unlock_xp_required": 50,
        "questions": [
            {
                "quiz_id": "science-solar-system-01",
                "difficulty_level": "easy",
                "question_text": "What is at the center of our solar system?",
                "options": ["The Earth", "The Moon", "The Sun", "Jupiter"],
                "correct_answer_index": 2,
                "explanation": "The Sun is a star at the center of the solar system, and all the planets "
                "travel around it.",
            },
            {
                "quiz_id": "science-solar-system-02",
                "difficulty_level": "easy",
                "question_text": "Which planet is known as the Red Planet?",
                "options": ["Mars", "Jupiter", "Mercury", "Neptune"],
                "correct_answer_index": 0,
                "explanation": "Mars looks red because its dusty ground is full of iron oxide, which is rust.",
            },
            {
                "quiz_id": "science-solar-system-03",
                "difficulty_level": "easy",
                "question_text": "Which planet is closest to the Sun?",
                "options": ["Venus", "Mercury", "Earth", "Mars"],
                "correct_answer_index": 1,
                "explanation": "Mercury is the closest planet to the Sun. It is also the smallest planet.",
            },
            {
                "quiz_id": "science-solar-system-04",
                "difficulty_level": "medium",
                "question_text": "How long does it take the Earth to travel once around the Sun?",
                "options": ["One day", "One month", "About one year", "Ten years"],
                "correct_answer_index": 2,
                "explanation": "One trip around the Sun takes about 365 days, which is one year. "
                "One spin of the Earth takes one day.",
            },
            {
                "quiz_id": "science-solar-system-05",
                "difficulty_level": "medium",
                "question_text": "Why do we have day and night?",
                "options": [
                    "The Earth spins",
                    "The Sun travels around the Earth every day",
                    "The Moon blocks the Sun every night",
                    "Clouds cover the Sun at night",
                ],
                "correct_answer_index": 0,
                "explanation": "The Earth spins around once every 24 hours. The side facing the Sun has day, "
                "and the side facing away has night.",
            },
            {
                "quiz_id": "science-solar-system-06",
                "difficulty_level": "medium",
                "question_text": "Which is the largest planet in our solar system?",
                "options": ["Earth", "Saturn", "Jupiter", "Neptune"],
                "correct_answer_index": 2,
                "explanation": "Jupiter is the giant of the solar system: more than 1,000 Earths could fit inside it.",
            },
            {
                "quiz_id": "science-solar-system-07",
                "difficulty_level": "medium",
                "question_text": "How many planets are in our solar system?",
                "options": ["7", "8", "9", "10"],
                "correct_answer_index": 1,
                "explanation": "There are 8 planets. Pluto used to be counted as the ninth, but since 2006 "
                "it has been called a dwarf planet.",
            },
            {
                "quiz_id": "science-solar-system-08",
                "difficulty_level": "hard",
                "question_text": "Why does the Moon seem to change shape during a month?",
                "options": [
                    "We see different amounts of its sunlit half as it travels around the Earth",
                    "The Earth's shadow covers part of it",
                    "Clouds hide part of it",
                    "It really changes shape",
                ],
                "correct_answer_index": 0,
                "explanation": "The Sun always lights up half of the Moon. As the Moon circles the Earth, "
                "we see more or less of that lit half. These are the Moon's phases.",
            },
            {
                "quiz_id": "science-solar-system-09",
                "difficulty_level": "hard",
                "question_text": "What keeps the planets moving around the Sun?",
                "options": ["Gravity", "Magnetism", "Wind", "Air pressure"],
                "correct_answer_index": 0,
                "explanation": "The Sun's gravity pulls on every planet. That pull keeps them circling the Sun "
                "instead of flying off into space.",
            },
            {
                "quiz_id": "science-solar-system-10",
                "difficulty_level": "hard",
                "question_text": "Why is Venus the hottest planet, even though Mercury is closer to the Sun?",
                "options": [
                    "Its thick air traps the Sun's heat",
                    "It has volcanoes that heat it",
                    "It spins very fast",
                    "It is the biggest planet",
                ],
                "correct_answer_index": 0,
                "explanation": "Venus has very thick air, mostly carbon dioxide, that traps heat like a blanket. "
                "Mercury has almost no air, so its heat escapes into space.",
            },
        ],
    },
    {
        "id": "science-matter",
        "subject": "Science",
        "order": 3,
        "name": "Solids, Liquids and Gases",
        "description": "The three states of matter and how heating and cooling change one into another.",
        "is_locked": True,
        "unlock_xp_required": 150,
        "questions": [
            {
                "quiz_id": "science-matter-01",
                "difficulty_level": "easy",
                "question_text": "Which of these is a liquid at room temperature?",
                "options": ["Ice", "Milk", "A rock", "Steam"],
                "correct_answer_index": 1,
                "explanation": "Milk flows and takes the shape of its container, which is what liquids do. "
                "Ice and rock are solids, and steam is a gas.",
            },
            {
                "quiz_id": "science-matter-02",
                "difficulty_level": "easy",
                "question_text": "What happens to ice when it is warmed up?",
                "options": ["It melts into water", "It turns into rock", "It gets harder", "Nothing happens"],
                "correct_answer_index": 0,
                "explanation": "Warming ice makes it melt: the solid ice turns into liquid water.",
            },
            {
                "quiz_id": "science-matter-03",
                "difficulty_level": "easy",
                "question_text": "Which state of matter keeps its own shape?",
                "options": ["Solid", "Liquid", "Gas", "None of them"],
                "correct_answer_index": 0,
                "explanation": "The particles in a solid are packed tightly and stay in their places, "
                "so a solid keeps its shape.",
            },
            {
                "quiz_id": "science-matter-04",
                "difficulty_level": "medium",
                "question_text": "What is it called when liquid water turns into water vapor?",
                "options": ["Freezing", "Melting", "Evaporation", "Condensation"],
                "correct_answer_index": 2,
                "explanation": "Evaporation is a liquid turning into a gas, like a puddle drying up on a sunny day.",
            },
            {
                "quiz_id": "science-matter-05",
                "difficulty_level": "medium",
                "question_text": "Drops of water form on the outside of a glass of ice water. What is this called?",
                "options": ["Condensation", "Evaporation", "Melting", "Freezing"],
                "correct_answer_index": 0,
                "explanation": "Water vapor in the air cools down when it touches the cold glass and turns back "
                "into liquid drops. That is condensation.",
            },
            {
                "quiz_id": "science-matter-06",
                "difficulty_level": "medium",
                "question_text": "At what temperature does pure water freeze?",
                "options": ["0 °C (32 °F)", "10 °C (50 °F)", "100 °C (212 °F)", "−50 °C (−58 °F)"],
                "correct_answer_index": 0,
                "explanation": "Pure water freezes at 0 °C, which is 32 °F. It boils at 100 °C, which is 212 °F.",
            },
            {
                "quiz_id": "science-matter-07",
                "difficulty_level": "hard",
                "question_text": "How do the particles in a gas behave?",
                "options": [
                    "They are far apart and move quickly in all directions",
                    "They are packed tightly in fixed places",
                    "They are close together and slide past each other",
                    "They do not move at all",
                ],
                "correct_answer_index": 0,
                "explanation": "Gas particles have lots of energy, so they zoom around and spread out to fill "
                "any container. Particles that slide past each other are in a liquid.",
            },
            {
                "quiz_id": "science-matter-08",
                "difficulty_level": "hard",
                "question_text": "You pour juice from a tall glass into a wide bowl. What changes?",
                "options": ["Its shape", "Its volume", "Its weight", "What it is made of"],
                "correct_answer_index": 0,
                "explanation": "A liquid takes the shape of its container, but the amount of juice stays the same.",
            },
            {
                "quiz_id": "science-matter-09",
                "difficulty_level": "hard",
                "question_text": "Which of these changes can be reversed?",
                "options": ["Melting chocolate", "Burning wood", "Baking a cake", "Frying an egg"],
                "correct_answer_index": 0,
                "explanation": "Melted chocolate turns solid again when it cools. Burning, baking and frying make "
                "new materials that cannot turn back.",
            },
        ],
    },
]
