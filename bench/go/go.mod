module hellogo

go 1.19
