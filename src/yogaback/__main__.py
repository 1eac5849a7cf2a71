from yogaback.cli import main

main()
