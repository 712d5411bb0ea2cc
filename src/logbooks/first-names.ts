/**
 * Common first names in England and Wales (children and adults), for warning that a reflection may name someone.
 * Names that are also everyday words (Hope, Joy, Bill, May, June, Grace, Will, Mark) are left out: they would warn
 * on ordinary prose, and a name after "Mum" or "baby" is caught anyway.
 */
export const FIRST_NAMES: ReadonlySet<string> = new Set(
  `Aaliyah Aaron Abdul Abigail Adam Adeola Aditya Ahmed Aidan Aisha Alex Alexander Alfie Alice Alicia Amara Amber
  Amelia Amir Amy Andrew Angela Anna Annabelle Archie Arthur Ashley Aurora Ava Ayaan Ayesha Bella Ben Benjamin
  Bethany Billy Bobby Bradley Brandon Caleb Callum Cameron Carl Caroline Carly Charlie Charlotte Chelsea Chloe
  Chris Christopher Ciara Claire Connor Corey Courtney Craig Daniel Danielle Darren David Dean Declan Demi Dylan
  Eden Edward Eleanor Elijah Eliza Elizabeth Ella Ellie Eloise Elsie Emily Emma Erin Ethan Eva Evie Ezra Faisal
  Fatima Finley Florence Freddie Freya Gabriel Gemma George Georgia Hamza Hannah Harley Harper Harriet Harrison
  Harry Harvey Hassan Hayden Hayley Henry Hollie Hugo Ibrahim Imogen Isaac Isabel Isabella Isabelle Isla Isaiah
  Ismail Jacob Jade Jake James Jamie Jasmine Jason Jayden Jennifer Jessica Jodie Joe Joel John Jonathan Jordan
  Joseph Joshua Kai Karen Kate Katie Kayden Kayla Kayleigh Keira Kelly Kieran Kirsty Kyle Laura Lauren Layla
  Leah Leo Leon Lewis Liam Lily Logan Louie Louis Louise Luca Lucas Lucy Luke Maisie Maria Marcus Maryam Mason
  Matilda Matthew Max Maya Megan Mia Michael Michelle Millie Mohammed Mohammad Muhammad Molly Muhammed Musa Nadia
  Naomi Nathan Niamh Nicola Noah Nour Nathaniel Oliver Olivia Omar Oscar Owen Paige Patrick Phoebe Poppy Priya
  Rachel Rebecca Reggie Reuben Rhys Riley Robert Rosie Ruby Ryan Saanvi Sadie Safiya Sam Samantha Samuel Sara
  Sarah Scarlett Sean Shannon Shauna Sienna Simon Sofia Sophia Sophie Stacey Stephen Stevie Tanisha Taylor
  Teddy Theo Theodore Thomas Tia Toby Tom Tommy Tyler Victoria Violet Wiktoria Willow Yasmin Yusuf Zach Zachary
  Zainab Zara Zoe Zuzanna`.split(/\s+/),
);
