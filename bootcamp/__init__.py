"""Practice for bootcamp students and their instructors, with no Rasa inside: each learner's interviews kept across
conversations, progress, weak-area drills, trying a question again, the questions a candidate asks the employer,
cohorts with assignments, and the instructor's view and exports."""
