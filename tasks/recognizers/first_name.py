"""PERSON from a list of common first names, with or without a surname after them.

spaCy's small model types many two-word names as ORGANIZATION in chat text ("I had a
long chat with Giulia Jones", "Chloe Costa from accounts"), and ORGANIZATION is not
scrubbed (it would wipe out "SSH", "Python", "Excel"), so those names leak; cue-less
contexts are out of PersonContextRecognizer's reach. A Title-case common first name is
strong evidence on its own, and the Title-case words after it are taken as the surname.

The list covers common first names across English, European, South Asian, East Asian,
Arabic and African naming traditions. Names that are also ordinary or technical words
when capitalised are left out (Will, May, June, April, August, Mark, Bill, Grace, Hope,
Rose, Frank, Max, Ruby, Julia, Ada, Crystal, Iris, Chase, Drew, Pat, Rob, Sue, Jan,
Dawn, Ray, Art, Guy, Victoria, Jordan, Austin, Georgia, Florence, Christian, ...).
Lower-case names are not matched. Names outside the list rely on spaCy.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from tasks.recognizers._common import NAME_WORD, ChorusPatternRecognizer

FIRST_NAMES: tuple[str, ...] = tuple(
    """
    James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William
    Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Nancy
    Daniel Lisa Matthew Betty Anthony Margaret Donald Steven Sandra Paul Ashley Andrew
    Kimberly Joshua Emily Kenneth Donna Kevin Michelle Brian Dorothy George Timothy
    Amanda Ronald Melissa Edward Deborah Jason Stephanie Jeffrey Rebecca Ryan Sharon
    Jacob Laura Gary Cynthia Nicholas Kathleen Eric Amy Jonathan Shirley Stephen Angela
    Larry Helen Justin Anna Scott Brenda Brandon Pamela Benjamin Nicole Samuel Emma
    Gregory Samantha Alexander Katherine Christine Patrick Debra Raymond Rachel Jack
    Carolyn Dennis Janet Jerry Catherine Tyler Maria Aaron Jose Diane Adam Ruth Nathan
    Julie Henry Olivia Douglas Joyce Zachary Virginia Peter Kyle Kelly Ethan Lauren
    Walter Christina Noah Joan Jeremy Evelyn Judith Keith Megan Roger Andrea Terry
    Cheryl Gerald Hannah Harold Jacqueline Sean Martha Gloria Carl Teresa Arthur Ann
    Lawrence Sara Dylan Madison Jesse Frances Kathryn Bryan Janice Billy Jean Joe
    Abigail Bruce Alice Gabriel Logan Judy Albert Sophia Willie Alan Denise Juan Wayne
    Doris Elijah Marilyn Randy Danielle Roy Beverly Vincent Isabella Ralph Theresa
    Russell Natalie Bobby Brittany Mason Charlotte Philip Marie Louis Kayla Alexis
    Tom Tim Jim Bob Mike Dave Steve Chris Matt Dan Nick Sam Alex Ben Tony Andy Liz
    Kate Katie Jen Jenny Beth Meg Sally Annie Ellie Lucy Molly Sophie Zoe Chloe Mia Ava
    Amelia Isla Poppy Freya Ella Evie Harry Oliver Charlie Oscar Leo Archie Alfie
    Freddie Theo Liam Lucas Mateo Sebastian Elena Sofia Lucia Valentina Camila Gabriela
    Isabel Carmen Pablo Javier Alejandro Miguel Carlos Diego Luis Jorge Antonio
    Francesco Giulia Marco Luca Matteo Alessandro Giovanni Chiara Francesca Pierre
    Camille Louise Manon Antoine Nicolas Julien Hans Klaus Lena Lukas Leon Finn Jonas
    Felix Mila Emilia Ingrid Sven Lars Erik Astrid Freja Nils Olga Ivan Dmitri Sergei
    Natasha Anastasia Tatiana Vladimir Katarzyna Piotr Tomasz Agnieszka Wei Mei Jing
    Xin Hiroshi Yuki Haruto Sakura Kenji Takeshi Priya Raj Rahul Amit Sunita Anjali
    Arjun Deepak Pooja Ravi Sanjay Vikram Neha Aditya Mohammed Muhammad Ahmed Ali Omar
    Fatima Aisha Yusuf Hassan Hussein Ibrahim Khalid Layla Zainab Mustafa Kwame Kofi
    Amara Chinedu Ngozi Tunde Adebayo Thabo Sipho Zanele Wanjiru Declan Niamh Siobhan
    Aoife Ciaran Sinead Connor Seamus Callum Fiona Hamish Morag Rhys Cerys Gareth
    Bethan Owen Rebekah Nadia Yasmin Leila Tariq Imran Sadia Ayesha Bilal Farah Hamza
    Diego Rosa Ana Marta Ines Joao Tiago Rafael Beatriz Lucas Gustavo Fernanda Bruno
    Mariana Ahmad Mehmet Emre Elif Zeynep Ayse Yara Noor Maryam Sana Hina Ravi Kiran
    Lakshmi Ganesh Suresh Ramesh Anil Sunil Meera Divya Kavya Ishaan Rohan Nikhil
    Hyun Jisoo Minho Seojun Jiwoo Hana Yuna Riku Sota Aiko Yumi Naomi Keiko Minh Linh
    Thanh Huong Duc Tuan Siddharth Shreya Tanvir Rashid Karim Samir Nabil Youssef
    Malik Jamal Darnell Tyrone Keisha Latoya Shanice Imani Aaliyah Jayden Aiden Caleb
    Owen Isaac Levi Hudson Ezra Miles Luke Grayson Wyatt Carter Hunter Eli Nolan Ian
    Evan Dominic Jaxon Asher Leah Aurora Stella Nora Hazel Violet Claire Audrey Lydia
    Maya Naomi Paige Sadie Scarlett Penelope Eleanor Riley Layla Zoey Nathalie Helena
    Johanna Greta Heidi Ursula Wolfgang Dieter Stefan Andreas Markus Tobias Florian
    Sanne Daan Bram Joost Pieter Willem Annika Magnus Henrik Mikkel Saoirse Eoin
    """.split()
)

# Names that read as ordinary words or places when capitalised; kept out even if added
# to the list above by mistake.
_EXCLUDED = frozenset(
    "Will May June April August Mark Bill Grace Hope Faith Joy Rose Frank Max Ruby "
    "Julia Ada Crystal Iris Chase Drew Pat Rob Sue Jan Dawn Ray Art Guy Victoria "
    "Jordan Austin Georgia Florence Christian Miles Hazel Violet Paige Hunter Carter "
    "Stella Aurora Nora Claire Luke".split()
)

_NAMES = sorted({n for n in FIRST_NAMES if n not in _EXCLUDED}, key=len, reverse=True)


class FirstNameRecognizer(ChorusPatternRecognizer):
    """Detect a listed first name, Title-case, with up to two Title-case words after.

    Entity: ``PERSON``.
    """

    ENTITY = "PERSON"
    PATTERNS = [
        # First name plus surname(s): "Giulia Jones", "Chloe Costa", "Priya Patel",
        # "Tom O'Brien", "Jack White" (surnames are not checked against stopwords).
        # Must not match "giulia jones" or "Will Smith" (Will is excluded).
        Pattern(
            "first_name_surname",
            r"\b(?-i:(?:" + "|".join(_NAMES) + r"))(?:[ \t]+" + NAME_WORD + r"){1,2}\b",
            0.6,
        ),
        # First name alone: "ask Priya about it", "Tom said no". Lower score, still
        # above the 0.4 threshold.
        Pattern(
            "first_name_alone",
            r"\b(?-i:(?:" + "|".join(_NAMES) + r"))\b",
            0.45,
        ),
    ]

    CONTEXT = ["name", "called", "mr", "mrs", "ms", "dr"]

