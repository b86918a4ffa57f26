module pidone.invalid/go-init

go 1.19
