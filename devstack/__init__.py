"""The local stack behind ``make run`` and the end-to-end tests: moto's server
on 127.0.0.1 as the embedded AWS, the Chalice API, and the SQS and schedule
handlers driven exactly as Lambda drives them."""
